"""Text utilities shared by the stages (no stage imports here).

* :mod:`scripts.text.markup`: markup removal (:func:`~scripts.text.markup.strip_markup` for ingest,
  :func:`~scripts.text.markup.blank_markup` before tokenization);
* :mod:`scripts.text.cleaning`: Unicode NFC, control characters and whitespace;
* :mod:`scripts.text.accents`: the one accent fold (:func:`~scripts.text.accents.fold_accents`:
  accents go, ñ/Ñ stay);
* :mod:`scripts.text.display`: terms and periods as a reader sees them (figures and report).

Reads and writes nothing: pure functions.
"""
