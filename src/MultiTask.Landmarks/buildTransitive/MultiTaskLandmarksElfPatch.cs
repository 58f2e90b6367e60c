// This one file is compiled twice: into the library (with MTL_LIBRARY defined, for load diagnostics) and, through
// MSBuild's RoslynCodeTaskFactory, into the build step that ships in the package's buildTransitive folder. It must
// therefore stay self-contained and use nothing newer than the C# that MSBuild's inline task compiler accepts.
#nullable enable

namespace MultiTask.Landmarks.Build
{
    using System;
    using System.Collections.Generic;
    using System.IO;
    using System.Text;

    /// <summary>
    /// One version that an ELF shared object needs from a library it depends on (an ELF Vernaux entry).
    /// </summary>
    internal sealed class ElfVersionNeed
    {
        internal ElfVersionNeed(string library, string version, ushort flags, long flagsOffset)
        {
            Library = library;
            Version = version;
            Flags = flags;
            FlagsOffset = flagsOffset;
        }

        /// <summary>Gets the soname of the library the version is needed from, such as <c>libstdc++.so.6</c>.</summary>
        internal string Library { get; }

        /// <summary>Gets the version name, such as <c>GLIBCXX_3.4.32</c>.</summary>
        internal string Version { get; }

        /// <summary>Gets the entry's <c>vna_flags</c>.</summary>
        internal ushort Flags { get; }

        /// <summary>Gets the file offset of the entry's <c>vna_flags</c>.</summary>
        internal long FlagsOffset { get; }

        /// <summary>
        /// Gets a value indicating whether the loader accepts the library when the version is absent.
        /// </summary>
        internal bool IsWeak => (Flags & ElfVersionNeeds.WeakFlag) != 0;
    }

    /// <summary>
    /// Reads and edits the version requirements (section <c>.gnu.version_r</c>) of 64-bit little-endian ELF files.
    /// </summary>
    /// <remarks>
    /// TorchSharp 0.107.0's <c>libLibTorchSharp.so</c> was linked against GCC 13's libstdc++ and so asks for
    /// <c>GLIBCXX_3.4.32</c>, which Debian 12 and Ubuntu 22.04 lack. The only symbol bound to that version,
    /// <c>std::ios_base_library_init()</c>, is never called, so marking the requirement weak (VER_FLG_WEAK) lets the
    /// dynamic loader accept the library on older systems and changes nothing where the version exists.
    /// </remarks>
    internal static class ElfVersionNeeds
    {
        internal const ushort WeakFlag = 0x2;
        private const uint SectionTypeVersionNeeds = 0x6ffffffe;

        /// <summary>Lists every version requirement of the ELF file at <paramref name="path"/>.</summary>
        /// <exception cref="InvalidDataException">
        /// The file is not a 64-bit little-endian ELF file or is malformed.
        /// </exception>
        internal static List<ElfVersionNeed> Read(string path)
        {
            byte[] image = File.ReadAllBytes(path);
            return Read(image, path);
        }

        /// <summary>
        /// Marks each listed version requirement weak, writing the file through a temporary copy so that a hard link
        /// into a package cache is never edited in place and a crash never leaves a half-written library.
        /// </summary>
        /// <returns>The versions that were changed; empty when the file already had them weak or lacked them.</returns>
        internal static List<string> MarkWeak(string path, ICollection<string> versions)
        {
            byte[] image = File.ReadAllBytes(path);
            var changed = new List<string>();
            foreach (ElfVersionNeed need in Read(image, path))
            {
                if (!need.IsWeak && versions.Contains(need.Version))
                {
                    ushort flags = (ushort)(need.Flags | WeakFlag);
                    image[need.FlagsOffset] = (byte)(flags & 0xff);
                    image[need.FlagsOffset + 1] = (byte)(flags >> 8);
                    changed.Add(need.Version);
                }
            }

            if (changed.Count == 0)
            {
                return changed;
            }

            string temporary = path + ".patching";
            File.WriteAllBytes(temporary, image);
            File.Replace(temporary, path, destinationBackupFileName: null);
            return changed;
        }

        private static List<ElfVersionNeed> Read(byte[] image, string path)
        {
            if (image.Length < 64 || image[0] != 0x7f
                || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
            {
                throw new InvalidDataException($"'{path}' is not an ELF file.");
            }

            if (image[4] != 2 || image[5] != 1)
            {
                throw new InvalidDataException($"'{path}' is not a 64-bit little-endian ELF file.");
            }

            long sectionTable = (long)U64(image, 0x28, path);
            int sectionSize = U16(image, 0x3a, path);
            int sectionCount = U16(image, 0x3c, path);
            var needs = new List<ElfVersionNeed>();
            for (int index = 0; index < sectionCount; index++)
            {
                long header = sectionTable + ((long)index * sectionSize);
                if (U32(image, header + 4, path) != SectionTypeVersionNeeds)
                {
                    continue;
                }

                long offset = (long)U64(image, header + 0x18, path);
                uint linkedStrings = U32(image, header + 0x28, path);
                uint entryCount = U32(image, header + 0x2c, path);
                long stringsHeader = sectionTable + ((long)linkedStrings * sectionSize);
                long strings = (long)U64(image, stringsHeader + 0x18, path);
                ReadNeeds(image, path, offset, entryCount, strings, needs);
            }

            return needs;
        }

        private static void ReadNeeds(
            byte[] image, string path, long offset, uint entryCount, long strings, List<ElfVersionNeed> needs)
        {
            long need = offset;
            for (uint entry = 0; entry < entryCount; entry++)
            {
                int auxiliaryCount = U16(image, need + 2, path);
                string library = CString(image, strings + U32(image, need + 4, path), path);
                long auxiliary = need + U32(image, need + 8, path);
                for (int i = 0; i < auxiliaryCount; i++)
                {
                    ushort flags = U16(image, auxiliary + 4, path);
                    string version = CString(image, strings + U32(image, auxiliary + 8, path), path);
                    needs.Add(new ElfVersionNeed(library, version, flags, auxiliary + 4));
                    uint nextAuxiliary = U32(image, auxiliary + 12, path);
                    if (nextAuxiliary == 0)
                    {
                        break;
                    }

                    auxiliary += nextAuxiliary;
                }

                uint next = U32(image, need + 12, path);
                if (next == 0)
                {
                    break;
                }

                need += next;
            }
        }

        private static ushort U16(byte[] image, long at, string path)
        {
            Check(image, at, 2, path);
            return (ushort)(image[at] | (image[at + 1] << 8));
        }

        private static uint U32(byte[] image, long at, string path)
        {
            Check(image, at, 4, path);
            return (uint)(image[at] | (image[at + 1] << 8) | (image[at + 2] << 16) | (image[at + 3] << 24));
        }

        private static ulong U64(byte[] image, long at, string path)
        {
            return U32(image, at, path) | ((ulong)U32(image, at + 4, path) << 32);
        }

        private static string CString(byte[] image, long at, string path)
        {
            long end = at;
            while (end < image.Length && image[end] != 0)
            {
                end++;
            }

            Check(image, at, end - at + 1, path);
            return Encoding.ASCII.GetString(image, (int)at, (int)(end - at));
        }

        private static void Check(byte[] image, long at, long length, string path)
        {
            if (at < 0 || length < 0 || at + length > image.Length)
            {
                throw new InvalidDataException($"'{path}' is a truncated or malformed ELF file (offset {at}).");
            }
        }
    }

#if !MTL_LIBRARY
    /// <summary>
    /// The MSBuild step that marks libLibTorchSharp.so's <c>GLIBCXX_3.4.32</c> requirement weak in an output folder.
    /// Idempotent: a file that is already patched is left untouched.
    /// </summary>
    public sealed class WeakenLibTorchSharpVersionNeeds : Microsoft.Build.Utilities.Task
    {
        /// <summary>Gets or sets the output or publish folder to search.</summary>
        [Microsoft.Build.Framework.Required]
        public string Directory { get; set; } = string.Empty;

        /// <summary>Gets or sets the version names to weaken, separated by semicolons.</summary>
        public string Versions { get; set; } = "GLIBCXX_3.4.32";

        /// <inheritdoc />
        public override bool Execute()
        {
            if (!System.IO.Directory.Exists(Directory))
            {
                return true;
            }

            var versions = new HashSet<string>(Versions.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries));
            foreach (string file in System.IO.Directory.EnumerateFiles(
                Directory, "libLibTorchSharp.so", SearchOption.AllDirectories))
            {
                try
                {
                    List<string> changed = ElfVersionNeeds.MarkWeak(file, versions);
                    if (changed.Count > 0)
                    {
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal,
                            "MultiTask.Landmarks: marked {0} weak in {1} so that libtorch loads with an older " +
                            "libstdc++.",
                            string.Join(", ", changed), file);
                    }
                }
                catch (Exception exception)
                    when (exception is IOException || exception is InvalidDataException
                        || exception is UnauthorizedAccessException)
                {
                    Log.LogWarning("MultiTask.Landmarks: could not patch {0}: {1}", file, exception.Message);
                }
            }

            return !Log.HasLoggedErrors;
        }
    }
#endif
}
