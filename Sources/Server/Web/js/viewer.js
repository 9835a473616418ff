// Interactive 3D viewer over three.js r111 (Debian's libjs-three, served under /vendor/three/): GLB/glTF via
// GLTFLoader, OBJ via OBJLoader (grey until the server serves the OBJ's materials), OrbitControls,
// framing to the model's bounding sphere, rendering on demand.
import * as THREE from "/vendor/three/build/three.module.js";
import { GLTFLoader } from "/vendor/three/examples/jsm/loaders/GLTFLoader.js";
import { OBJLoader } from "/vendor/three/examples/jsm/loaders/OBJLoader.js";
import { OrbitControls } from "/vendor/three/examples/jsm/controls/OrbitControls.js";

/** Why a model could not be shown: `reason` is "webgl", "http", "unsupported", "empty" or "parse". */
export class ViewerError extends Error {
  constructor(reason, message, detail) {
    super(message);
    this.name = "ViewerError";
    this.reason = reason;
    this.detail = detail;
  }
}

function webGLAvailable() {
  try {
    const canvas = document.createElement("canvas");
    return Boolean(canvas.getContext("webgl2") || canvas.getContext("webgl"));
  } catch {
    return false;
  }
}

/** The loader to use for a response: by Content-Type, then the asset's declared format, then magic bytes. */
export function modelKind(contentType, declaredFormat, bytes) {
  const type = (contentType || "").split(";")[0].trim().toLowerCase();
  if (type === "model/gltf-binary" || type === "model/gltf+json") return "gltf";
  if (type === "model/obj") return "obj";
  const format = (declaredFormat || "").toLowerCase();
  if (format === "glb" || format === "gltf") return "gltf";
  if (format === "obj") return "obj";
  if (bytes && bytes.byteLength >= 4 && new TextDecoder().decode(bytes.slice(0, 4)) === "glTF") return "gltf";
  return null;
}

/** One WebGL canvas reused for every asset shown. Throws ViewerError("webgl") when WebGL is unavailable. */
export class ModelViewer {
  constructor(host) {
    if (!webGLAvailable()) throw new ViewerError("webgl", "WebGL is not available");
    this.host = host;
    // preserveDrawingBuffer keeps the last frame readable (toDataURL), which the browser test relies on.
    this.renderer = new THREE.WebGLRenderer({ antialias: true, alpha: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
    this.renderer.gammaOutput = true;
    this.renderer.gammaFactor = 2.2;
    this.renderer.setClearColor(0x000000, 0);
    this.canvas = this.renderer.domElement;
    this.canvas.className = "viewer-canvas";
    host.prepend(this.canvas);

    this.scene = new THREE.Scene();
    this.camera = new THREE.PerspectiveCamera(40, 1, 0.01, 1000);
    this.scene.add(new THREE.HemisphereLight(0xffffff, 0x50505a, 0.55));
    const key = new THREE.DirectionalLight(0xffffff, 0.75);
    key.position.set(-0.6, 1, 0.9);
    this.camera.add(key);
    this.scene.add(this.camera);

    this.controls = new OrbitControls(this.camera, this.canvas);
    this.controls.enableKeys = false; // arrow keys belong to the page (and scroll the panel)
    this.controls.screenSpacePanning = true;
    this.controls.addEventListener("change", () => this.render());

    this.model = null;
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(host);
    this.resize();
  }

  resize() {
    const width = Math.max(1, this.host.clientWidth);
    const height = Math.max(1, this.host.clientHeight);
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.render();
  }

  render() {
    this.renderer.render(this.scene, this.camera);
  }

  /** Removes the current model and frees its GPU resources. */
  clear() {
    if (!this.model) return;
    this.scene.remove(this.model);
    this.model.traverse((node) => {
      if (node.geometry) node.geometry.dispose();
      const materials = Array.isArray(node.material) ? node.material : node.material ? [node.material] : [];
      for (const material of materials) {
        for (const value of Object.values(material)) if (value && value.isTexture) value.dispose();
        material.dispose();
      }
    });
    this.model = null;
    this.render();
  }

  /**
   * Fetches and shows the model at `url`. Resolves to {kind, grey}; rejects with ViewerError or AbortError.
   * `format` is the asset's `model_format` (e.g. "obj", "glb"), used when the Content-Type is not specific.
   */
  async load(url, { format, signal } = {}) {
    this.clear();
    const response = await fetch(url, { signal });
    if (!response.ok) throw new ViewerError("http", `HTTP ${response.status}`, response.status);
    const buffer = await response.arrayBuffer();
    const kind = modelKind(response.headers.get("content-type"), format, buffer);
    if (!kind) throw new ViewerError("unsupported", "unsupported", response.headers.get("content-type") || format || "?");
    let object;
    try {
      object = kind === "gltf" ? await this.parseGLTF(buffer, url) : this.parseOBJ(buffer);
    } catch (error) {
      throw new ViewerError("parse", error?.message || String(error), kind === "gltf" ? "glTF/GLB" : "OBJ");
    }
    if (signal?.aborted) throw new DOMException("aborted", "AbortError");
    this.model = object;
    this.scene.add(object);
    this.frame();
    return { kind, grey: kind === "obj" };
  }

  parseGLTF(buffer, url) {
    const base = url.slice(0, url.lastIndexOf("/") + 1);
    return new Promise((resolve, reject) => {
      new GLTFLoader().parse(buffer, base, (gltf) => resolve(gltf.scene || gltf.scenes[0]), reject);
    });
  }

  parseOBJ(buffer) {
    const object = new OBJLoader().parse(new TextDecoder().decode(buffer));
    const material = new THREE.MeshStandardMaterial({
      color: 0x8e96a4, roughness: 0.7, metalness: 0.05, side: THREE.DoubleSide,
    });
    object.traverse((node) => {
      if (!node.isMesh) return;
      const old = Array.isArray(node.material) ? node.material : [node.material];
      old.forEach((item) => item?.dispose());
      node.material = material;
    });
    return object;
  }

  /** Centres the model and places the camera so its bounding sphere fills the view. */
  frame() {
    if (!this.model) return;
    const box = new THREE.Box3().setFromObject(this.model);
    if (box.isEmpty()) throw new ViewerError("empty", "empty");
    const sphere = box.getBoundingSphere(new THREE.Sphere());
    const radius = sphere.radius > 0 ? sphere.radius : 1;
    this.model.position.sub(sphere.center);

    const vertical = (this.camera.fov * Math.PI) / 180;
    const horizontal = 2 * Math.atan(Math.tan(vertical / 2) * this.camera.aspect);
    const distance = (radius / Math.sin(Math.min(vertical, horizontal) / 2)) * 1.08;
    const direction = new THREE.Vector3(0.55, 0.45, 1).normalize();
    this.camera.position.copy(direction.multiplyScalar(distance));
    this.camera.near = distance / 100;
    this.camera.far = distance * 100;
    this.camera.updateProjectionMatrix();
    this.controls.target.set(0, 0, 0);
    this.controls.minDistance = radius * 0.3;
    this.controls.maxDistance = distance * 8;
    this.controls.update();
    this.controls.saveState();
    this.render();
  }

  /** Back to the framed view. */
  reset() {
    this.controls.reset();
    this.render();
  }

  /** A PNG data URL of the current frame. */
  snapshot() {
    this.render();
    return this.canvas.toDataURL("image/png");
  }
}
