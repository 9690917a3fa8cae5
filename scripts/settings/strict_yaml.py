"""Bounded, strict YAML reading for config files and Markdown front matter.

PyYAML's safe loading refuses Python tags, but it still lets a 1 kB file expand into gigabytes
through aliases (each ``*a`` is a reference, and a value made of references to values made of
references grows exponentially once it is walked, printed or copied), and it keeps the last of two
equal keys without a word. :func:`load_bounded` reads YAML with a loader that

* counts the size of every value *as expanded* (characters of its scalars, aliases included) while
  the document is composed, before anything is constructed, and stops past ``max_chars``;
* refuses recursive aliases, duplicate keys (``model:`` twice) and every tag that is not plain YAML
  (``!!python/name:``, ``!!python/object/apply:`` …);

and turns every problem into one :class:`YAMLInputError` line with the source and line number.

Example
-------
>>> load_bounded("a: 1\\nb: [x, y]\\n", "config.yaml")
{'a': 1, 'b': ['x', 'y']}
>>> load_bounded("model: 1\\nmodel: 2\\n", "config.yaml")
Traceback (most recent call last):
...
scripts.settings.strict_yaml.YAMLInputError: config.yaml line 2: key 'model' appears twice (first on line 1)
"""


import yaml

#: Default expansion budget in characters (a whole config file is a few kB).
MAX_CHARS = 1_000_000


class YAMLInputError(ValueError):
    """A YAML text refused by :func:`load_bounded`; the message is one line naming the source.

    ``kind`` is ``size`` (alias expansion or recursion), ``duplicate``, ``tag`` or ``syntax``.
    """

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind


class _Refused(yaml.YAMLError):
    """Raised inside the loader; carries the line of the offending node."""

    def __init__(self, message: str, mark=None, kind: str = "size"):
        super().__init__(message)
        self.message, self.mark, self.kind = message, mark, kind


class BoundedSafeLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that caps alias expansion and refuses duplicate keys and recursive aliases."""

    max_chars = MAX_CHARS
    unique_keys = True

    def __init__(self, stream):
        super().__init__(stream)
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML hook
        alias = self.check_event(yaml.AliasEvent)
        mark = self.peek_event().start_mark if alias else None
        node = super().compose_node(parent, index)
        if alias:
            if id(node) not in self._sizes:
                raise _Refused("an alias refers to the value that contains it (recursive alias)", mark)
            return node
        if isinstance(node, yaml.ScalarNode):
            size = len(node.value) + 1
        elif isinstance(node, yaml.SequenceNode):
            size = 1 + sum(self._sizes.get(id(child), 1) for child in node.value)
        else:
            size = 1 + sum(self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1) for k, v in node.value)
        self._sizes[id(node)] = size
        if size > self.max_chars:
            raise _Refused(f"aliases expand this value beyond {self.max_chars:,} characters (a YAML alias bomb?)",
                           node.start_mark)
        return node

    def construct_mapping(self, node, deep=False):  # noqa: D102 - PyYAML hook
        seen = {}
        for key_node, _ in node.value if self.unique_keys else ():
            if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
                continue
            if key_node.value in seen:
                raise _Refused(f"key {key_node.value[:60]!r} appears twice (first on line {seen[key_node.value]})",
                               key_node.start_mark, "duplicate")
            seen[key_node.value] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def load_bounded(text: str, source: str, max_chars: int = MAX_CHARS, unique_keys: bool = True):
    """Parse one YAML document safely and within a size budget.

    Parameters
    ----------
    text : str
        The YAML text.
    source : str
        Where it comes from (a file name), for the message.
    max_chars : int
        Largest size of any value once its aliases are expanded, in characters.
    unique_keys : bool
        Refuse a key repeated in one mapping (otherwise the last one wins, as in PyYAML).

    Returns
    -------
    object
        The document (``None`` when empty).

    Raises
    ------
    YAMLInputError
        One line: the source, the line and the problem (alias bomb, duplicate key, tag, syntax).
    """
    loader_class = type("Bounded", (BoundedSafeLoader,), {"max_chars": max_chars, "unique_keys": unique_keys})
    loader = loader_class(text)
    try:
        return loader.get_single_data()
    except _Refused as problem:
        raise YAMLInputError(f"{source}{_line(problem.mark)}: {problem.message}", problem.kind) from None
    except yaml.constructor.ConstructorError as error:
        tag = str(getattr(error, "problem", "") or "")
        what = tag.split("tag ", 1)[-1].strip("'").replace("tag:yaml.org,2002:", "!!")[:80]
        raise YAMLInputError(f"{source}{_line(error.problem_mark)}: tag {what} is not allowed (plain YAML values only)", "tag") from None
    except yaml.YAMLError as error:
        problem = str(getattr(error, "problem", "") or type(error).__name__)[:120]
        raise YAMLInputError(f"{source}{_line(getattr(error, 'problem_mark', None))}: not valid YAML ({problem})", "syntax") from None
    finally:
        loader.dispose()


def _line(mark) -> str:
    return f" line {mark.line + 1}" if mark is not None else ""
