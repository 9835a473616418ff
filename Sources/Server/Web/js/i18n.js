// UI strings in English and Chinese, the current UI language, and applying strings to marked-up elements.
// Elements carry data-i18n="key" (text content) and data-i18n-attr="attribute:key;attribute:key".

const STRINGS = {
  en: {
    tagline: "Find 3D assets by words or by a picture",
    skipToResults: "Skip to results",
    searchLabel: "Search 3D assets in English or Chinese",
    searchPlaceholder: "armchair, 沙发, a lamp for the desk…",
    searchButton: "Search",
    imageButton: "Image",
    imageButtonLabel: "Search by image: upload, drop or paste a picture",
    removeImage: "Remove the image query",
    imageChip: "Image: {name}",
    spaceLabel: "Space",
    spaceAuto: "Auto",
    spaceAutoTitle: "Auto: keywords plus every space that can answer this query, fused",
    spaceLexical: "lexical (keywords)",
    modeLabel: "Mode",
    modeAuto: "Auto",
    modeInner: "Same modality",
    modeCross: "Cross-modal",
    modeHybrid: "Hybrid",
    modeNeedsImages: "needs an image space",
    languageLabel: "Query language",
    languageAuto: "Detect",
    languageEn: "English",
    languageCn: "Chinese",
    uiToggle: "中文",
    uiToggleLabel: "切换到中文界面 (switch the interface to Chinese)",
    dropHint: "Drop an image to search with it",
    ready: "{count} assets indexed · spaces: {spaces}",
    examplesLabel: "Try:",
    startHint: "Type a word in English or Chinese, or drop a picture anywhere on the page.",
    searching: "Searching…",
    resultCount: "{count} results · {ms} ms · {algorithm}",
    resultCountMore: "{count} results so far · {ms} ms · {algorithm}",
    noResults: "No results for “{query}”. Try other words, the other language, or another space.",
    noResultsImage: "No asset looks like this image. Try another picture or another space.",
    skipped: "Not used: {list}",
    similarTo: "Similar to “{name}”",
    imageQueryStatus: "Searching by image “{name}”",
    loadMore: "Load more",
    resultsLabel: "Search results",
    score: "score",
    scoreTitle: "Similarity {score}; per space: {list}",
    matchedView: "view {index}",
    matchedViewTitle: "Matched view {index} (azimuth {azimuth}°, elevation {elevation}°)",
    keyboardHelp: "Keys: / search · arrows move through results · Enter opens · Esc closes",
    errorPrefix: "Something went wrong: {message}",
    searchFailed: "Search failed: {message}",
    similarFailed: "Find similar failed: {message}",
    unreachable: "The server cannot be reached. Is it running?",
    httpStatus: "the server answered HTTP {status}",
    notOffered: "this server does not offer {feature} yet (HTTP {status})",
    featureImageSearch: "image search",
    featureSimilar: "find similar",
    notAnImage: "“{name}” is not an image (PNG, JPEG or WebP).",
    imageTooLarge: "“{name}” is larger than 10 MB.",
    close: "Close",
    detailLoading: "Loading…",
    detailFailed: "This asset could not be loaded: {message}",
    viewerLabel: "Interactive 3D model: drag to rotate, scroll or pinch to zoom",
    viewerHint: "Drag to rotate · scroll to zoom · right-drag to pan",
    viewerHintTouch: "Drag to rotate · pinch to zoom · two-finger drag to pan",
    viewerLoading: "Loading the 3D model…",
    viewerNoModel: "This asset has no 3D model file.",
    viewerFailed: "The 3D model cannot be shown: {message}",
    viewerNoWebGL: "The 3D preview needs WebGL, which this browser does not provide.",
    viewerUnsupported: "unsupported model format “{type}”",
    viewerEmpty: "the model file contains no geometry",
    viewerParse: "the file is not a valid {format} model ({detail})",
    viewerGrey: "Shown without materials.",
    resetView: "Reset view",
    views: "Rendered views",
    noViews: "No rendered views yet.",
    viewCaption: "View {index} · {azimuth}° / {elevation}°",
    viewAlt: "Rendered view {index} of {name}",
    details: "Details",
    fieldID: "ID",
    fieldCategory: "Category",
    fieldLibrary: "Library",
    fieldLicense: "License",
    fieldCreator: "Creator",
    fieldSize: "Size (W × D × H)",
    fieldTags: "Tags",
    fieldObjaverse: "Objaverse ID",
    fieldFormat: "Model format",
    captions: "Captions",
    captionSource: "source: {source}",
    centimetres: "cm",
    unknown: "—",
    findSimilar: "Find similar",
    download: "Download model",
  },
  zh: {
    tagline: "用文字或图片查找 3D 资产",
    skipToResults: "跳到搜索结果",
    searchLabel: "用英文或中文搜索 3D 资产",
    searchPlaceholder: "沙发、扶手椅、armchair、书桌台灯…",
    searchButton: "搜索",
    imageButton: "图片",
    imageButtonLabel: "以图搜索：上传、拖放或粘贴图片",
    removeImage: "移除图片查询",
    imageChip: "图片：{name}",
    spaceLabel: "向量空间",
    spaceAuto: "自动",
    spaceAutoTitle: "自动：关键词加上所有能回答该查询的空间，融合排序",
    spaceLexical: "lexical（关键词）",
    modeLabel: "模式",
    modeAuto: "自动",
    modeInner: "同模态",
    modeCross: "跨模态",
    modeHybrid: "混合",
    modeNeedsImages: "需要图像空间",
    languageLabel: "查询语言",
    languageAuto: "自动检测",
    languageEn: "英文",
    languageCn: "中文",
    uiToggle: "EN",
    uiToggleLabel: "Switch the interface to English（切换到英文界面）",
    dropHint: "松开鼠标，用这张图片搜索",
    ready: "已索引 {count} 个资产 · 空间：{spaces}",
    examplesLabel: "试试：",
    startHint: "输入英文或中文，或把图片拖到页面任意位置。",
    searching: "搜索中…",
    resultCount: "{count} 个结果 · {ms} 毫秒 · {algorithm}",
    resultCountMore: "已显示 {count} 个结果 · {ms} 毫秒 · {algorithm}",
    noResults: "没有找到与“{query}”相关的结果。换个词、换种语言或换个空间试试。",
    noResultsImage: "没有与这张图片相似的资产。换一张图片或换个空间试试。",
    skipped: "未使用：{list}",
    similarTo: "与“{name}”相似",
    imageQueryStatus: "正在用图片“{name}”搜索",
    loadMore: "加载更多",
    resultsLabel: "搜索结果",
    score: "得分",
    scoreTitle: "相似度 {score}；各空间：{list}",
    matchedView: "视图 {index}",
    matchedViewTitle: "匹配视图 {index}（方位角 {azimuth}°，仰角 {elevation}°）",
    keyboardHelp: "快捷键：/ 搜索 · 方向键浏览结果 · Enter 打开 · Esc 关闭",
    errorPrefix: "出错了：{message}",
    searchFailed: "搜索失败：{message}",
    similarFailed: "查找相似失败：{message}",
    unreachable: "无法连接服务器，请确认它正在运行。",
    httpStatus: "服务器返回 HTTP {status}",
    notOffered: "此服务器尚不支持{feature}（HTTP {status}）",
    featureImageSearch: "以图搜索",
    featureSimilar: "查找相似",
    notAnImage: "“{name}”不是图片（PNG、JPEG 或 WebP）。",
    imageTooLarge: "“{name}”超过 10 MB。",
    close: "关闭",
    detailLoading: "加载中…",
    detailFailed: "无法加载该资产：{message}",
    viewerLabel: "可交互的 3D 模型：拖动旋转，滚轮或双指缩放",
    viewerHint: "拖动旋转 · 滚轮缩放 · 右键拖动平移",
    viewerHintTouch: "拖动旋转 · 双指缩放 · 双指拖动平移",
    viewerLoading: "正在加载 3D 模型…",
    viewerNoModel: "该资产没有 3D 模型文件。",
    viewerFailed: "无法显示 3D 模型：{message}",
    viewerNoWebGL: "3D 预览需要 WebGL，此浏览器不支持。",
    viewerUnsupported: "不支持的模型格式“{type}”",
    viewerEmpty: "模型文件中没有几何体",
    viewerParse: "该文件不是有效的 {format} 模型（{detail}）",
    viewerGrey: "未加载材质，以灰色显示。",
    resetView: "重置视角",
    views: "渲染视图",
    noViews: "暂无渲染视图。",
    viewCaption: "视图 {index} · {azimuth}° / {elevation}°",
    viewAlt: "{name} 的渲染视图 {index}",
    details: "详细信息",
    fieldID: "编号",
    fieldCategory: "类别",
    fieldLibrary: "资源库",
    fieldLicense: "许可",
    fieldCreator: "作者",
    fieldSize: "尺寸（宽 × 深 × 高）",
    fieldTags: "标签",
    fieldObjaverse: "Objaverse 编号",
    fieldFormat: "模型格式",
    captions: "描述",
    captionSource: "来源：{source}",
    centimetres: "厘米",
    unknown: "—",
    findSimilar: "查找相似",
    download: "下载模型",
  },
};

const STORAGE_KEY = "asset3d.ui-language";
const listeners = new Set();
let current = initialLanguage();

function initialLanguage() {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === "en" || stored === "zh") return stored;
  } catch {
    // Storage can be disabled; fall back to the browser's language.
  }
  return (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
}

/** The current UI language: "en" or "zh". */
export function uiLanguage() {
  return current;
}

/** The string for `key` in the current language with {placeholders} filled from `params`. */
export function t(key, params = {}) {
  const template = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

/** Switches the UI language, remembers it, re-labels the page and tells listeners. */
export function setUILanguage(language) {
  if (language !== "en" && language !== "zh") return;
  current = language;
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembered; the switch still applies to this page.
  }
  applyTranslations(document);
  for (const listener of listeners) listener(language);
}

/** Calls `listener(language)` after every switch. */
export function onLanguageChange(listener) {
  listeners.add(listener);
}

/** Fills every data-i18n / data-i18n-attr element under `root` with the current language's strings. */
export function applyTranslations(root) {
  document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
  for (const element of root.querySelectorAll("[data-i18n]")) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of element.dataset.i18nAttr.split(";")) {
      const [attribute, key] = pair.split(":").map((part) => part.trim());
      if (attribute && key) element.setAttribute(attribute, t(key));
    }
  }
}
