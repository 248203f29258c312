// Spec: the <manifest> element, developer.android.com/guide/topics/manifest/manifest-element; attribute resource
// ids from frameworks/base/core/res/res/values/public.xml (obfuscators strip attribute names, never the ids).
namespace GaugeNN.Ingest.Android;

/// <summary>The facts ApkScanned records from an APK's AndroidManifest.xml.</summary>
public sealed record AndroidManifest(
    string? Package, long? VersionCode, string? VersionName, int? MinSdk, int? TargetSdk, string? Split,
    IReadOnlyList<string> Permissions, IReadOnlyList<string> Features)
{
    private const uint NameId = 0x01010003, VersionCodeId = 0x0101021b, VersionNameId = 0x0101021c;
    private const uint MinSdkId = 0x0101020c, TargetSdkId = 0x01010270;

    /// <summary>Reads a compiled manifest; throws <see cref="GaugeNN.Formats.Archives.ArchiveException"/> when it is malformed.</summary>
    public static AndroidManifest Read(ReadOnlySpan<byte> axml)
    {
        string? package = null, versionName = null, split = null;
        long? versionCode = null;
        int? minSdk = null, targetSdk = null;
        var permissions = new List<string>();
        var features = new List<string>();
        foreach (var element in BinaryXml.ReadStartElements(axml))
        {
            switch (element.Name)
            {
                case "manifest":
                    package ??= Find(element, "package", 0)?.Text;
                    split ??= Find(element, "split", 0)?.Text;
                    versionCode ??= Find(element, "versionCode", VersionCodeId)?.Integer;
                    versionName ??= Find(element, "versionName", VersionNameId)?.Text;
                    break;
                case "uses-sdk":
                    minSdk ??= (int?)Find(element, "minSdkVersion", MinSdkId)?.Integer;
                    targetSdk ??= (int?)Find(element, "targetSdkVersion", TargetSdkId)?.Integer;
                    break;
                case "uses-permission" or "uses-permission-sdk-23" or "uses-permission-sdk-m":
                    if (Find(element, "name", NameId)?.Text is { } permission) permissions.Add(permission);
                    break;
                case "uses-feature":
                    if (Find(element, "name", NameId)?.Text is { } feature) features.Add(feature);
                    break;
            }
        }
        return new AndroidManifest(package, versionCode, versionName, minSdk, targetSdk, split, permissions, features);
    }

    private static XmlAttribute? Find(XmlStartElement element, string name, uint resourceId) =>
        element.Attributes.FirstOrDefault(a => resourceId != 0 && a.ResourceId == resourceId)
        ?? element.Attributes.FirstOrDefault(a => a.Name == name);
}
