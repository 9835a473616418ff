import Foundation
import Testing

@testable import AssetCatalog

@Suite struct JavaPropertiesTests {
    @Test func separatorsAndWhitespace() throws {
        let props = try JavaProperties(
            text: """
                # comment
                ! also a comment
                a=1
                b = 2
                c:3
                d 4
                  e\t=\t five six
                f=
                g
                """)
        #expect(props["a"] == "1")
        #expect(props["b"] == "2")
        #expect(props["c"] == "3")
        #expect(props["d"] == "4")
        #expect(props["e"] == "five six")
        #expect(props["f"] == "")
        #expect(props["g"] == "")
        #expect(props.values.count == 7)
    }

    @Test func escapes() throws {
        let props = try JavaProperties(
            text: #"""
                name#1=\u6276\u624b\u6905
                tab=a\tb
                key\ with\ spaces=x\=y
                colon\:key=v
                emoji=\ud83d\ude00
                other=\q\\
                """#)
        #expect(props["name#1"] == "扶手椅")
        #expect(props["tab"] == "a\tb")
        #expect(props["key with spaces"] == "x=y")
        #expect(props["colon:key"] == "v")
        #expect(props["emoji"] == "😀")
        #expect(props["other"] == "q\\")
    }

    @Test func continuations() throws {
        let props = try JavaProperties(
            text: "long=first \\\n     second \\\r\n\tthird\nnext=1\nescaped=ends with backslash\\\\\nafter=2\n")
        #expect(props["long"] == "first second third")
        #expect(props["next"] == "1")
        #expect(props["escaped"] == "ends with backslash\\")
        #expect(props["after"] == "2")
    }

    @Test func commentLinesInsideContinuationAreValues() throws {
        let props = try JavaProperties(text: "a=1\\\n# not a comment\nb=2")
        #expect(props["a"] == "1# not a comment")
        #expect(props["b"] == "2")
    }

    @Test func latin1AndUTF8() throws {
        // "© 2008" in ISO-8859-1 (0xA9) is not valid UTF-8: decoded as Latin-1, as Java does.
        let latin1 = Data("license=".utf8) + Data([0xA9]) + Data(" 2008".utf8)
        #expect(try JavaProperties(data: latin1)["license"] == "© 2008")
        let utf8 = Data("name=椅子 ©".utf8)
        #expect(try JavaProperties(data: utf8)["name"] == "椅子 ©")
    }

    @Test func malformedUnicodeEscapeIsATypedError() {
        #expect(throws: CatalogError.self) { try JavaProperties(text: "a=\\u12") }
        #expect(throws: CatalogError.self) { try JavaProperties(text: "a=\\uZZZZ") }
    }
}

@Suite struct ChineseTextTests {
    @Test func untranslatedEnglishIsNotChinese() {
        #expect(!ChineseText.isChinese("Bar chair"))
        #expect(!ChineseText.isChinese("Apple iMac 1998"))
        #expect(!ChineseText.isChinese(""))
        #expect(!ChineseText.isChinese("Café crème"))
    }

    @Test func chineseIsDetectedInMixedText() {
        #expect(ChineseText.isChinese("扶手椅"))
        #expect(ChineseText.isChinese("iMac 电脑"))
        #expect(ChineseText.isChinese("辦公室"))
        #expect(ChineseText.hanShare("iMac 电脑") > 0.3)
    }

    @Test func traditionalIsFoldedToSimplified() {
        #expect(ChineseText.simplified("沙發") == "沙发")
        #expect(ChineseText.simplified("辦公室 電視櫃") == "办公室 电视柜")
        #expect(ChineseText.simplified("沙发") == "沙发")
        #expect(ChineseText.simplified("Sofa 3 seats") == "Sofa 3 seats")
    }

    @Test func sortPrefixes() {
        #expect(ChineseText.strippingSortPrefix("8辦公室") == "辦公室")
        #expect(ChineseText.strippingSortPrefix("11人物動物") == "人物動物")
        #expect(ChineseText.strippingSortPrefix("2024") == "2024")
        #expect(ChineseText.strippingSortPrefix("卧室") == "卧室")
    }
}
