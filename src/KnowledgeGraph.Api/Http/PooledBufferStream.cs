using System.Buffers;

namespace KnowledgeGraph.Api.Http;

/// <summary>
/// A write-only stream into arrays rented from <see cref="ArrayPool{T}.Shared"/>, returned on dispose: an answer is
/// serialised here first so that its length is known. With a <c>Content-Length</c>, Kestrel sends the headers and the
/// body in one write; with chunked encoding it sent the terminating chunk in a second one, a second wake-up of the
/// client for every answer. Arrays past <see cref="MaxPooledBytes"/> are allocated and left to the GC instead: the
/// shared pool keeps what it is given, and large answers would otherwise hold memory after they are sent.
/// </summary>
internal sealed class PooledBufferStream : Stream
{
    /// <summary>The largest array rented from the pool.</summary>
    public const int MaxPooledBytes = 64 * 1024;

    private byte[] _buffer;
    private int _length;

    public PooledBufferStream(int initialCapacity = 4096) => _buffer = Rent(initialCapacity);

    /// <summary>The bytes written so far; valid until the next write or dispose.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        if (buffer.Length > _buffer.Length - _length)
        {
            Grow(buffer.Length);
        }

        buffer.CopyTo(_buffer.AsSpan(_length));
        _length += buffer.Length;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (_buffer.Length > 0)
        {
            Return(_buffer);
            _buffer = [];
            _length = 0;
        }

        base.Dispose(disposing);
    }

    private void Grow(int needed)
    {
        var larger = Rent((int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)_length + needed)));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        Return(_buffer);
        _buffer = larger;
    }

    private static byte[] Rent(int length) =>
        length <= MaxPooledBytes ? ArrayPool<byte>.Shared.Rent(length) : GC.AllocateUninitializedArray<byte>(length);

    private static void Return(byte[] buffer)
    {
        if (buffer.Length <= MaxPooledBytes)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
