// Spec: Python pickle protocols 2-5, CPython Lib/pickletools.py (opcode table, argument encodings, stack effects).
using System.Buffers.Binary;
using System.Text;

namespace GaugeNN.Formats.PyTorch;

/// <summary>
/// Reads a pickle opcode by opcode and returns the text strings of the object it describes, in order, with memoised
/// objects (strings, and tuples that contain strings) expanded each time they are fetched back. Objects are never
/// built: every stack entry is just the list of strings inside it, and REDUCE, BUILD and the like only merge those
/// lists, so nothing is imported or executed; GLOBAL / STACK_GLOBAL contribute their "module name" text, never looked
/// up. Each persistent id (BINPERSID) is also reported as its strings, which is how PyTorch names a tensor's storage:
/// ('storage', 'torch FloatStorage', key, location[, numel]). Opcodes outside the protocol 2-5 table are refused.
/// </summary>
internal static class RestrictedPickle
{
    private const string Format = "pytorch";
    private const int MaxStrings = 1_000_000;
    private const int MaxMemo = 1_000_000;
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private sealed class Stack
    {
        private readonly List<List<string>?> _items = []; // null marks a MARK
        private long _strings;

        public void Push(List<string> item)
        {
            _strings += item.Count;
            if (_strings > MaxStrings) throw Fail(0, "stack", "the pickle expands to too many strings");
            _items.Add(item);
        }

        public void Mark() => _items.Add(null);

        public List<string> Pop(int position)
        {
            if (_items.Count == 0 || _items[^1] is not { } top) throw Fail(position, "stack", "pops an empty stack");
            _items.RemoveAt(_items.Count - 1);
            return top;
        }

        public List<string> Top(int position) =>
            _items.Count > 0 && _items[^1] is { } top ? top : throw Fail(position, "stack", "reads an empty stack");

        /// <summary>Pops back to the last MARK and returns the popped entries' strings, concatenated.</summary>
        public List<string> PopToMark(int position)
        {
            int mark = _items.FindLastIndex(i => i is null);
            if (mark < 0) throw Fail(position, "stack", "no MARK to pop to");
            var merged = _items.Skip(mark + 1).SelectMany(i => i!).ToList();
            _items.RemoveRange(mark, _items.Count - mark);
            return merged;
        }

        public List<string> Combine(int count, int position)
        {
            var popped = new List<List<string>>();
            for (int i = 0; i < count; i++) popped.Add(Pop(position));
            popped.Reverse();
            return popped.SelectMany(p => p).ToList();
        }
    }

    public static List<string> Strings(ReadOnlySpan<byte> pickle) => Run(pickle, null);

    /// <summary>The strings of every persistent id the pickle loads, in order.</summary>
    public static List<List<string>> PersistentIds(ReadOnlySpan<byte> pickle)
    {
        var ids = new List<List<string>>();
        Run(pickle, ids);
        return ids;
    }

    private static List<string> Run(ReadOnlySpan<byte> pickle, List<List<string>>? persistentIds)
    {
        var stack = new Stack();
        var memo = new Dictionary<long, List<string>>();
        int position = 0;
        while (true)
        {
            if (position >= pickle.Length) throw Fail(position, "opcode", "the pickle ends before STOP");
            int at = position;
            byte opcode = pickle[position++];
            switch (opcode)
            {
                case (byte)'.': // STOP
                    return stack.Pop(at);
                case 0x80: Take(pickle, ref position, 1); break; // PROTO
                case 0x95: Take(pickle, ref position, 8); break; // FRAME
                case (byte)'X': stack.Push([Text(Take(pickle, ref position, Length(pickle, ref position, 4)), at)]); break;
                case 0x8c: stack.Push([Text(Take(pickle, ref position, Length(pickle, ref position, 1)), at)]); break;
                case 0x8d: stack.Push([Text(Take(pickle, ref position, Length(pickle, ref position, 8)), at)]); break;
                case (byte)'T' or (byte)'B': Skip(pickle, ref position, 4, stack); break; // BINSTRING, BINBYTES
                case (byte)'U' or (byte)'C' or 0x8a: Skip(pickle, ref position, 1, stack); break; // SHORT_*, LONG1
                case 0x8b: Skip(pickle, ref position, 4, stack); break; // LONG4
                case 0x8e or 0x96: Skip(pickle, ref position, 8, stack); break; // BINBYTES8, BYTEARRAY8
                case (byte)'J': Take(pickle, ref position, 4); stack.Push([]); break; // BININT
                case (byte)'K': Take(pickle, ref position, 1); stack.Push([]); break; // BININT1
                case (byte)'M': Take(pickle, ref position, 2); stack.Push([]); break; // BININT2
                case (byte)'G': Take(pickle, ref position, 8); stack.Push([]); break; // BINFLOAT
                case (byte)'N' or 0x88 or 0x89 or (byte)')' or (byte)']' or (byte)'}' or 0x8f: stack.Push([]); break;
                case (byte)'c': // GLOBAL: "module name", never looked up
                    string module = Line(pickle, ref position), member = Line(pickle, ref position);
                    stack.Push([$"{module} {member}"]);
                    break;
                case 0x93: stack.Push([string.Join(' ', stack.Combine(2, at))]); break; // STACK_GLOBAL: never looked up
                case (byte)'(': stack.Mark(); break;
                case (byte)'t' or (byte)'l' or 0x91: stack.Push(stack.PopToMark(at)); break; // TUPLE, LIST, FROZENSET
                case (byte)'d': stack.Push(stack.PopToMark(at)); break; // DICT
                case 0x85: stack.Push(stack.Combine(1, at)); break; // TUPLE1
                case 0x86: stack.Push(stack.Combine(2, at)); break; // TUPLE2
                case 0x87: stack.Push(stack.Combine(3, at)); break; // TUPLE3
                case (byte)'a': stack.Push(stack.Combine(2, at)); break; // APPEND
                case (byte)'s': stack.Push(stack.Combine(3, at)); break; // SETITEM
                case (byte)'e' or (byte)'u' or 0x90: // APPENDS, SETITEMS, ADDITEMS
                    var items = stack.PopToMark(at);
                    stack.Push([.. stack.Pop(at), .. items]);
                    break;
                case (byte)'R' or 0x81: stack.Push(stack.Combine(2, at)); break; // REDUCE, NEWOBJ: never called
                case 0x92: stack.Push(stack.Combine(3, at)); break; // NEWOBJ_EX
                case (byte)'b': stack.Push(stack.Combine(2, at)); break; // BUILD: state merged, never applied
                case (byte)'Q': // BINPERSID: the id is reported, never resolved
                    var id = stack.Pop(at);
                    persistentIds?.Add(id);
                    stack.Push([]);
                    break;
                case (byte)'0': stack.Pop(at); break; // POP
                case (byte)'1': stack.PopToMark(at); break; // POP_MARK
                case (byte)'2': stack.Push([.. stack.Top(at)]); break; // DUP
                case (byte)'q': Remember(memo, Take(pickle, ref position, 1)[0], stack.Top(at), at); break; // BINPUT
                case (byte)'r': Remember(memo, BinaryPrimitives.ReadUInt32LittleEndian(Take(pickle, ref position, 4)), stack.Top(at), at); break;
                case 0x94: Remember(memo, memo.Count, stack.Top(at), at); break; // MEMOIZE
                case (byte)'h': stack.Push(Recall(memo, Take(pickle, ref position, 1)[0], at)); break; // BINGET
                case (byte)'j': stack.Push(Recall(memo, BinaryPrimitives.ReadUInt32LittleEndian(Take(pickle, ref position, 4)), at)); break;
                case 0x97 or 0x98: stack.Push([]); break; // NEXT_BUFFER, READONLY_BUFFER
                default:
                    throw Fail(at, "opcode", $"opcode 0x{opcode:x2} is not allowed");
            }
        }
    }

    private static void Skip(ReadOnlySpan<byte> pickle, ref int position, int width, Stack stack)
    {
        Take(pickle, ref position, Length(pickle, ref position, width));
        stack.Push([]);
    }

    private static void Remember(Dictionary<long, List<string>> memo, long index, List<string> value, int position)
    {
        if (memo.Count >= MaxMemo) throw Fail(position, "memo", "too many memo entries");
        memo[index] = value;
    }

    private static List<string> Recall(Dictionary<long, List<string>> memo, long index, int position) =>
        memo.TryGetValue(index, out var value) ? [.. value] : throw Fail(position, "memo", $"memo {index} was never stored");

    private static int Length(ReadOnlySpan<byte> pickle, ref int position, int width)
    {
        var bytes = Take(pickle, ref position, width);
        ulong length = width switch
        {
            1 => bytes[0],
            4 => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(bytes),
        };
        if (length > (ulong)(pickle.Length - position)) throw Fail(position, "length", $"{length} bytes run past the end");
        return (int)length;
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> pickle, ref int position, int count)
    {
        if (count > pickle.Length - position) throw Fail(position, "argument", "runs past the end");
        var slice = pickle.Slice(position, count);
        position += count;
        return slice;
    }

    private static string Line(ReadOnlySpan<byte> pickle, ref int position)
    {
        int newline = pickle[position..].IndexOf((byte)'\n');
        if (newline < 0) throw Fail(position, "GLOBAL", "unterminated name");
        string text = Text(pickle.Slice(position, newline), position);
        position += newline + 1;
        return text;
    }

    private static string Text(ReadOnlySpan<byte> bytes, int position)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Fail(position, "string", "not UTF-8");
        }
    }

    private static MalformedModelException Fail(long offset, string field, string problem) => new(Format, offset, field, problem);
}
