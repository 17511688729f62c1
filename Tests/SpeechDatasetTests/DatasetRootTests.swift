import Foundation
import Testing
import SpeechDataset
import TestSupport

@Suite struct DatasetRootTests {
    @Test func resolvesRelativePathsInsideTheRoot() throws {
        let dir = try TemporaryDirectory()
        let root = DatasetRoot(path: dir.path)
        #expect(try root.resolve("clips/a.wav") == "\(dir.path)/clips/a.wav")
        #expect(try root.resolve("./clips/../clips//b.wav") == "\(dir.path)/clips/b.wav")
    }

    @Test(arguments: ["../secret.wav", "clips/../../secret.wav", "/etc/passwd"])
    func escapesAreRejected(path: String) throws {
        let dir = try TemporaryDirectory()
        #expect {
            _ = try DatasetRoot(path: dir.path).resolve(path)
        } throws: { error in
            (error as? DatasetError)?.code == .pathEscape && "\(error)".contains(path)
        }
        #expect(try DatasetRoot(path: dir.path, allowEscapes: true).resolve(path).hasSuffix(path.split(separator: "/").last.map(String.init)!))
    }

    @Test func symlinkOutOfTheRootIsRejectedAndInsideIsAllowed() throws {
        let outside = try TemporaryDirectory()
        let dir = try TemporaryDirectory()
        try writeText("secret", to: outside.file("secret.wav"))
        try FileManager.default.createDirectory(atPath: dir.file("clips"), withIntermediateDirectories: true)
        try writeText("ok", to: dir.file("clips/real.wav"))
        try FileManager.default.createSymbolicLink(atPath: dir.file("clips/link.wav"), withDestinationPath: outside.file("secret.wav"))
        try FileManager.default.createSymbolicLink(atPath: dir.file("out"), withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: dir.file("alias.wav"), withDestinationPath: "clips/real.wav")
        let root = DatasetRoot(path: dir.path)
        for escaping in ["clips/link.wav", "out/secret.wav", "out/not-yet-there.wav"] {
            #expect(throws: DatasetError.self) { _ = try root.resolve(escaping) }
        }
        #expect(try root.resolve("alias.wav") == dir.file("alias.wav"))
        #expect(try DatasetRoot(path: dir.path, allowEscapes: true).resolve("clips/link.wav") == dir.file("clips/link.wav"))
    }

    @Test func rootForAManifestIsItsFolder() {
        #expect(DatasetRoot.forManifest("/data/set/train.jsonl").path == "/data/set")
    }
}
