"""The corpus fingerprint: a manifest of the files ingest reads, so that any change to them reruns it.

Snakemake decides what to rerun from the modification times of a rule's input files. A corpus
folder as input only tells it when the folder itself changed (a file added or removed at its top
level), not when a file is edited in place or a file is added to or removed from a subfolder.
The manifest (``results/ingest/corpus_manifest.json``) lists every file that ingest reads with its
size and SHA-256, the symbolic links it refuses and the files it leaves out (by name), exactly as
:func:`scripts.ingest.pipeline.corpus_listing` selects them. It is brought up to date each time
Snakemake builds the job graph (``workflow/rules/common.smk``) and **rewritten only when its content
changes**, so:

* editing, adding (in any subfolder), deleting or renaming a corpus file changes the manifest, and
  ``ingest_corpus`` and ``record_provenance`` (and everything after them) rerun;
* touching a file, copying the corpus with new timestamps or adding a hidden file does not.

It scales to large corpora (~100k files): Snakemake sees one input file instead of 100k, and a file is
hashed again only when its size, modification time, change time or inode differ from the ones kept
in a hash cache outside ``results/`` (``.snakemake/corpus_hash_cache.json``: it holds file-system
details that differ between copies of a run, so it is not a result), so an unchanged corpus costs
one ``scandir`` per folder and one ``stat`` per file. The manifest's files are the provenance record
of the run.

Example
-------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("hola")
>>> [(row["path"], row["bytes"]) for row in corpus_manifest({"path": str(folder), "format": "txt", "include": []})["files"]]
[('a.txt', 4)]
"""


import hashlib
import json
import logging
import os
from pathlib import Path

from scripts.ingest.readers import list_corpus, relative_name, safe_name
from scripts.ingest.settings import FORMAT_SUFFIXES, detect_format
from scripts.logs import UserInputError

logger = logging.getLogger(__name__)

MANIFEST_VERSION = 1


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _stat_key(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def corpus_manifest(corpus: dict, cache: dict | None = None) -> dict:
    """The manifest of a corpus: files read (path, bytes, sha256), links refused, files left out.

    Parameters
    ----------
    corpus : dict
        The ``corpus`` config section (``path``, ``format``, ``include`` are used).
    cache : dict, optional
        Relative path → ``{"stat": [...], "sha256": ...}`` from an earlier manifest; updated in place
        with the files seen now (the others are dropped).

    Returns
    -------
    dict
        ``{"version", "path", "format", "files": [{"path", "bytes", "sha256"}], "outside": [...],
        "skipped": [[path, reason], ...]}``; ``format`` is the detected one when ``auto``.
    """
    cache = {} if cache is None else cache
    root = Path(corpus["path"])
    fmt = corpus.get("format", "auto")
    if fmt == "auto":
        try:
            fmt = detect_format(root)
        except UserInputError:
            fmt = "auto"  # nothing readable: ingest says so; still watch every file
    patterns = list(corpus.get("include") or []) or None
    listing = list_corpus(root, patterns, FORMAT_SUFFIXES.get(fmt, ()))
    seen, files = {}, []
    for path, raw_name in zip(listing.files, listing.names):
        name = safe_name(raw_name)
        try:
            key = _stat_key(path)
        except OSError:
            continue  # vanished while listed; the next build sees it gone
        cached = cache.get(name)
        if cached and cached.get("stat") == key:
            digest = cached["sha256"]
        else:
            try:
                digest = file_sha256(path)
            except OSError as error:
                digest = f"unreadable: {type(error).__name__}"
        seen[name] = {"stat": key, "sha256": digest}
        files.append({"path": name, "bytes": key[0], "sha256": digest})
    cache.clear()
    cache.update(seen)
    return {
        "version": MANIFEST_VERSION,
        "path": str(corpus["path"]),
        "format": fmt,
        "files": files,
        "outside": [relative_name(path, root) for path in listing.outside],
        "skipped": [list(entry) for entry in listing.skipped],
    }


def _write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` atomically unless the file holds it already; whether it was written."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
    return True


def update_manifest(corpus: dict, manifest_path, cache_path) -> bool:
    """Bring the manifest at ``manifest_path`` up to date; rewrite it only when its content changes.

    Parameters
    ----------
    corpus : dict
        The ``corpus`` config section.
    manifest_path : str or pathlib.Path
        ``results/ingest/corpus_manifest.json``.
    cache_path : str or pathlib.Path
        The hash cache (``.snakemake/corpus_hash_cache.json`` in a run).

    Returns
    -------
    bool
        Whether the manifest was (re)written, i.e. the corpus changed since it was last written.
    """
    manifest_path, cache_path = Path(manifest_path), Path(cache_path)
    try:
        cache = json.loads(cache_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    cache = cache if isinstance(cache, dict) else {}
    manifest = corpus_manifest(corpus, cache)
    changed = _write_if_changed(manifest_path, json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    _write_if_changed(cache_path, json.dumps(cache, ensure_ascii=False) + "\n")
    if changed:
        logger.info("corpus manifest %s written: %d files", manifest_path, len(manifest["files"]))
    return changed


def manifest_files(manifest_path) -> list[dict]:
    """The ``files`` rows (``path``, ``sha256``, ``bytes``) of a manifest, for the provenance record."""
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    return [{"path": row["path"], "sha256": row["sha256"], "bytes": row["bytes"]} for row in manifest["files"]]



def run_fingerprint_corpus(smk) -> None:
    """Snakemake entry point of ``fingerprint_corpus``: write the manifest (the rule runs when it is missing)."""
    update_manifest(dict(smk.params.corpus), smk.output.manifest, smk.params.cache)
