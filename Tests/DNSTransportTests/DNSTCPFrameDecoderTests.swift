// SPDX-License-Identifier: Apache-2.0

import DNSTransport
import NIOCore
import Testing

@Suite struct DNSTCPFrameDecoderTests {
    /// Three frames (one empty) back to back, as a stream.
    static let frames: [[UInt8]] = [[1, 2, 3], [], Array(repeating: 0xAB, count: 300)]

    static var stream: ByteBuffer {
        var out = ByteBuffer()
        for frame in frames {
            try? DNSTCPFrameEncoder.frame(ByteBuffer(bytes: frame), into: &out)
        }
        return out
    }

    @Test func encoderPutsTheLengthInFront() throws {
        var out = ByteBuffer()
        try DNSTCPFrameEncoder.frame(ByteBuffer(bytes: [9, 8, 7]), into: &out)
        #expect(Array(out.readableBytesView) == [0, 3, 9, 8, 7])
        #expect(throws: DNSTransportError.messageTooLong) {
            var big = ByteBuffer()
            try DNSTCPFrameEncoder.frame(ByteBuffer(repeating: 0, count: 65536), into: &big)
        }
    }

    @Test func wholeStreamAtOnce() {
        var buffer = Self.stream
        var got: [[UInt8]] = []
        while let frame = DNSTCPFrameDecoder.nextFrame(from: &buffer) { got.append(Array(frame.readableBytesView)) }
        #expect(got == Self.frames)
        #expect(buffer.readableBytes == 0)
    }

    @Test func fedByteByByte() {
        let stream = Self.stream
        var buffer = ByteBuffer()
        var got: [[UInt8]] = []
        for byte in stream.readableBytesView {
            buffer.writeInteger(byte)
            while let frame = DNSTCPFrameDecoder.nextFrame(from: &buffer) { got.append(Array(frame.readableBytesView)) }
        }
        #expect(got == Self.frames)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 7, 64, 301])
    func fedInChunks(of size: Int) {
        let bytes = Array(Self.stream.readableBytesView)
        var buffer = ByteBuffer()
        var got: [[UInt8]] = []
        var i = 0
        while i < bytes.count {
            buffer.writeBytes(bytes[i..<min(bytes.count, i + size)])
            i += size
            while let frame = DNSTCPFrameDecoder.nextFrame(from: &buffer) { got.append(Array(frame.readableBytesView)) }
        }
        #expect(got == Self.frames)
    }

    @Test func incompleteFrameLeavesTheBufferUntouched() {
        for partial in [[], [0], [0, 3], [0, 3, 1, 2]] as [[UInt8]] {
            var buffer = ByteBuffer(bytes: partial)
            #expect(DNSTCPFrameDecoder.nextFrame(from: &buffer) == nil)
            #expect(Array(buffer.readableBytesView) == partial)
        }
    }
}
