"""Numbers as a reader of each language writes them: a decimal comma in Spanish, a point in English.

Shared by the figures, the report and the model-selection sentences. Thousands are not grouped
(counts in this project are small enough to read, and ``1.000`` would read as one in English).

Example
-------
>>> format_number(0.2873, ".4f", "es"), format_number(0.2873, ".1%", "en")
('0,2873', '28.7%')
"""


def decimal_mark(text: str, language: str) -> str:
    """``text`` (a formatted number) with the decimal mark of ``language`` (``es`` or ``en``).

    >>> decimal_mark("-3.00", "es"), decimal_mark("-3.00", "en")
    ('-3,00', '-3.00')
    """
    return str(text).replace(".", ",") if language == "es" else str(text)


def format_number(value, spec: str, language: str) -> str:
    """``format(value, spec)`` with the decimal mark of ``language``.

    >>> format_number(0.5, ".0%", "es"), format_number(2.0, "g", "es"), format_number(1.25, "g", "es")
    ('50%', '2', '1,25')
    """
    return decimal_mark(format(value, spec), language)
