import AssetCatalog
import Foundation
import Testing

@testable import Retrieval

/// BM25 on a hand-made mini catalog whose answers are known.
@Suite struct LexicalIndexTests {
    static func asset(_ id: String, _ name: String, zh: String? = nil, category: String? = nil,
                      categoryZH: String? = nil, tags: [String] = []) -> Asset {
        var asset = Asset(
            id: AssetID(id), library: "test", name: name, nameZH: zh, category: category, categoryZH: categoryZH,
            tags: tags, files: AssetFiles(root: "/tmp"))
        asset.setCaption(Caption(language: .en, text: name, origin: .catalog(locale: "en")))
        if let zh { asset.setCaption(Caption(language: .zh, text: zh, origin: .catalog(locale: "zh_CN"))) }
        return asset
    }

    static let catalog: [Asset] = [
        asset("armchair", "Armchair", zh: "扶手椅", category: "Living room", categoryZH: "客厅", tags: ["Seat"]),
        asset("office-armchair", "Office armchair", zh: "办公扶手椅", category: "Office", categoryZH: "办公室"),
        asset("chair", "Chair", zh: "椅子", category: "Kitchen", categoryZH: "厨房"),
        asset("sofa", "Sofa", zh: "沙发", category: "Living room", categoryZH: "客厅", tags: ["Seat"]),
        asset("couch", "Couch", zh: "二人座沙發", category: "Living room", categoryZH: "客廳"),
        asset("corner-sofa", "Corner sofa", zh: "转角沙发", category: "Living room", categoryZH: "客厅"),
        asset("sofa-bed", "Sofa bed", zh: "沙发床", category: "Bedroom", categoryZH: "卧室"),
        asset("bed", "Double bed", zh: "双人床", category: "Bedroom", categoryZH: "卧室"),
        asset("bookcase", "Bookcase", zh: "书柜", category: "Living room", categoryZH: "客厅"),
        asset("shelves", "Wall shelves", zh: "墙架", category: "Kitchen", categoryZH: "厨房"),
        asset("lamp", "Desk lamp", category: "Lights"),
    ]

    let index = LexicalIndex(assets: catalog)

    func ids(_ query: String, limit: Int = 10) -> [String] {
        index.search(query, limit: limit).map(\.assetID.rawValue)
    }

    @Test func englishWordsRankExactNamesFirst() {
        #expect(ids("armchair") == ["armchair", "office-armchair"])
        #expect(ids("sofa").prefix(1) == ["sofa"])
        #expect(Set(ids("sofa")) == ["sofa", "corner-sofa", "sofa-bed"])
        #expect(ids("couch") == ["couch"])
        #expect(ids("armchairs") == ["armchair", "office-armchair"])  // plural folded
        #expect(ids("SHELF") == ["shelves"])
        #expect(ids("the lamp of") == ["lamp"])  // stop words ignored
    }

    @Test func chineseBigramsAndUnigrams() {
        #expect(ids("扶手椅") == ["armchair", "office-armchair"])
        #expect(ids("沙发").first == "sofa")
        // Traditional and simplified forms find each other.
        #expect(Set(ids("沙发")) == ["sofa", "corner-sofa", "sofa-bed", "couch"])
        #expect(Set(ids("沙發")) == ["sofa", "corner-sofa", "sofa-bed", "couch"])
        // One character: unigrams; the bed and the sofa bed both have 床.
        #expect(Set(ids("床")) == ["bed", "sofa-bed"])
        #expect(ids("书柜") == ["bookcase"])
    }

    @Test func categoriesAndMixedQueries() {
        #expect(Set(ids("卧室")) == ["bed", "sofa-bed"])
        #expect(ids("bedroom 沙发").first == "sofa-bed")
        #expect(ids("kitchen chair").first == "chair")
    }

    @Test func scoresAreNormalisedAndOrdered() {
        let hits = index.search("corner sofa", limit: 10)
        #expect(hits.first?.assetID == "corner-sofa")
        #expect(hits.allSatisfy { $0.normalizedScore > 0 && $0.normalizedScore <= 1 })
        #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    @Test func noMatchesAndLimits() {
        #expect(ids("spaceship").isEmpty)
        #expect(ids("   ").isEmpty)
        #expect(ids("sofa", limit: 1) == ["sofa"])
        #expect(index.search("sofa", limit: 10) { $0.rawValue != "sofa" }.map(\.assetID.rawValue).first != "sofa")
    }
}

@Suite struct LexicalAnalyzerTests {
    let analyzer = LexicalAnalyzer()

    @Test func termsOfMixedText() {
        #expect(analyzer.queryTerms("Red 沙发 chairs") == ["w:red", "b:沙发", "w:chair"])
        #expect(analyzer.documentTerms("沙发床") == ["u:沙", "u:发", "u:床", "b:沙发", "b:发床"])
        #expect(analyzer.queryTerms("床") == ["u:床"])
        #expect(analyzer.queryTerms("Café crème") == ["w:cafe", "w:creme"])
    }

    @Test func pluralFolding() {
        #expect(LexicalAnalyzer.normalize("libraries") == "library")
        #expect(LexicalAnalyzer.normalize("boxes") == "box")
        #expect(LexicalAnalyzer.normalize("benches") == "bench")
        #expect(LexicalAnalyzer.normalize("glass") == "glass")
        #expect(LexicalAnalyzer.normalize("bus") == "bus")
        #expect(LexicalAnalyzer.normalize("chairs") == "chair")
    }
}
