// Spec: PyTorch serialization (torch.jit.save / _save_for_lite_interpreter): a zip of <archive>/data.pkl,
// <archive>/constants.pkl, <archive>/version and, for PyTorch Mobile, <archive>/bytecode.pkl.
namespace GaugeNN.Formats.PyTorch;

/// <summary>A TorchScript or PyTorch Mobile archive: a zip whose single top folder holds the pickles PyTorch writes.</summary>
internal static class PyTorchProbe
{
    public static bool LooksLike(IReadOnlyList<string> names)
    {
        bool bytecode = false, data = false, companion = false;
        foreach (string name in names)
        {
            int slash = name.IndexOf('/');
            if (slash <= 0) continue;
            string inner = name[(slash + 1)..];
            bytecode |= inner == "bytecode.pkl";
            data |= inner == "data.pkl";
            companion |= inner is "constants.pkl" or "version" or ".data/version";
        }
        return bytecode || (data && companion);
    }
}
