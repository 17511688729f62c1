import Testing
import SpeechDataset
import TestSupport

@Suite struct CommonVoiceTests {
    let root = Fixtures.path("dataset")

    @Test func oldSchemaWithAccentAndQuotes() throws {
        let release = try CommonVoiceRelease(path: "\(root)/cv-corpus-4-2019-12-10/en")
        #expect(release.splits == ["train", "dev"])
        #expect(release.language == "en")
        var reader = try release.reader(split: "train")
        let entries = try reader.readAll()
        #expect(entries.map(\.id) == ["common_voice_en_1", "common_voice_en_2", "common_voice_en_3"])
        #expect(entries[0].audioPath == "clips/common_voice_en_1.mp3")
        #expect(entries[0].language == "en")
        #expect(entries[0].speaker == "c1")
        #expect(entries[0].extra["accent"] == "us")
        #expect(entries[0].extra["accents"] == "us")
        // Quoting: a sentence that begins with a quotation mark but is not a quoted field
        // stays literal; empty fields are left out of extra.
        #expect(entries[1].text == "\"Quoted,\" she said.")
        #expect(entries[1].extra["age"] == nil)
        #expect(entries[2].text == "A \"quoted\" word inside.")
    }

    @Test func quotedFieldMayHoldATab() throws {
        var reader = try CommonVoiceRelease(path: "\(root)/cv-corpus-8.0-2022-01-19/de").reader(split: "validated")
        let entries = try reader.readAll()
        #expect(entries.count == 2)
        #expect(entries[0].text == "Guten Morgen, schöne Welt.")
        #expect(entries[1].text == "Ein Satz mit\tTab")
        #expect(entries[1].extra["segment"] == "Benchmark")
        #expect(entries[1].language == "de")
    }

    @Test func renamedAccentsColumnAndCJK() throws {
        let release = try CommonVoiceRelease(path: "\(root)/cv-corpus-12.0-2022-12-07/zh-HK")
        #expect(release.splits == ["validated", "invalidated"])
        var reader = try release.reader(split: "validated")
        let entries = try reader.readAll()
        #expect(entries.map(\.text) == ["今日天氣好好。", "我哋去飲茶"])
        #expect(entries[0].extra["accents"] == "香港")
        #expect(entries[0].language == "zh-HK")
    }

    @Test func newestSchemaWithSentenceIDAndDomain() throws {
        let release = try CommonVoiceRelease(path: "\(root)/cv-corpus-17.0-2024-03-15/yue")
        // clip_durations.tsv has no path/sentence columns, so it is not a split.
        #expect(release.splits == ["train", "dev", "other"])
        var reader = try release.reader(split: "train")
        let entries = try reader.readAll()
        #expect(entries.count == 3)
        #expect(entries[1].extra["sentence_id"] == "s31")
        #expect(entries[1].extra["sentence_domain"] == "general")
        #expect(entries[1].text == "Mixed 中英 text, ok")
        #expect(entries[2].text == "")
        var dev = try release.reader(split: "dev")
        #expect(try dev.readAll().isEmpty)
        #expect(try ManifestFormat.detect(path: release.path) == .commonVoiceRelease)
    }

    @Test func manifestOpenOnReleaseReadsValidated() throws {
        var reader = try Manifest.open(path: "\(root)/cv-corpus-8.0-2022-01-19/de")
        #expect(try reader.readAll().count == 2)
    }
}
