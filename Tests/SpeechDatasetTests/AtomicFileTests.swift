import Foundation
import Testing
import SpeechDataset
import TestSupport

@Suite struct AtomicFileTests {
    @Test func replacesContentsAndLeavesNoTemporaryFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("out.json")
        try AtomicFile.write("old", to: path)
        try AtomicFile.write(Data("new contents".utf8), to: path)
        #expect(try readText(path) == "new contents")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.json"])
    }

    @Test func streamingWriterCommitsLargeOutput() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("big.txt")
        let writer = try AtomicFileWriter(path: path)
        for k in 0..<50_000 { try writer.write("line \(k)\n") }
        #expect(!FileManager.default.fileExists(atPath: path), "nothing appears before commit")
        try writer.commit()
        let lines = try readText(path).split(separator: "\n")
        #expect(lines.count == 50_000)
        #expect(lines.last == "line 49999")
    }

    @Test func blocksFollowTheBufferedBytesInOrder() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("mixed.txt")
        let writer = try AtomicFileWriter(path: path)
        try writer.write("buffered 1\n")
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 8, alignment: 1)
        defer { block.deallocate() }
        block.copyBytes(from: "block 1\n".utf8)
        try writer.writeBlock(UnsafeRawBufferPointer(block))
        try writer.write("buffered 2\n")
        try writer.writeBlock(UnsafeRawBufferPointer(start: nil, count: 0))
        try writer.commit()
        #expect(try readText(path) == "buffered 1\nblock 1\nbuffered 2\n")
    }

    @Test func droppedWriterLeavesDestinationUntouched() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("keep.txt")
        try AtomicFile.write("original", to: path)
        do {
            let writer = try AtomicFileWriter(path: path)
            try writer.write("half-written replacement")
            #expect(FileManager.default.fileExists(atPath: writer.temporaryPath))
        }
        #expect(try readText(path) == "original")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["keep.txt"])
    }

    @Test func missingFolderIsAnIOErrorNamingTheFile() {
        #expect {
            try AtomicFile.write("x", to: "/nonexistent-folder-speechprep/out.txt")
        } throws: { error in
            guard let error = error as? DatasetError else { return false }
            return error.code == .io && error.description.contains("/nonexistent-folder-speechprep/")
        }
    }
}
