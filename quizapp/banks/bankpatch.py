"""Change one field of one question in a bank's YAML text, keeping everything else as it was written.

A teacher's comments, order and quoting stay: only the field's value is rewritten (items added to
a list are appended to it, as new lines in a block list; any other value is written as JSON, which
is YAML). The caller validates the result, so a patch that went wrong is refused, never published.
"""

from __future__ import annotations

import json

import yaml

from quizapp.banks.yamlsafe import decode


class PatchError(ValueError):
    """The question or field is not where the bank says it is."""


def _value(node, key: str):
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value_node
    return None


def _question(root, question_id: str):
    for item in getattr(_value(root, "questions"), "value", []):
        found = _value(item, "id")
        if isinstance(found, yaml.ScalarNode) and found.value == question_id:
            return item
    raise PatchError(question_id)


def _flow(value) -> str:
    """A value as YAML flow text: JSON is YAML, and its quoted strings are safe in any context."""
    return json.dumps(value, ensure_ascii=False)


def _add_key(text: str, mapping, key: str, value) -> str:
    """The text with `key: value` added as the mapping's last entry, after any comment on its line."""
    if mapping.flow_style:
        end = text.rindex("}", 0, mapping.end_mark.index)
        return text[:end] + f", {key}: {_flow(value)}" + text[end:]
    last = mapping.value[-1][1]
    while isinstance(last, (yaml.MappingNode, yaml.SequenceNode)) and last.value and not last.flow_style:
        last = last.value[-1][1] if isinstance(last, yaml.MappingNode) else last.value[-1]
    indent = " " * mapping.value[0][0].start_mark.column
    end = last.end_mark.index
    if text[end - 1 : end] == "\n":  # a block scalar ends at the start of the next line
        return text[:end] + f"{indent}{key}: {_flow(value)}\n" + text[end:]
    end = text.find("\n", end)
    end = len(text) if end < 0 else end
    return text[:end] + f"\n{indent}{key}: {_flow(value)}" + text[end:]


def set_field(source: str, question_id: str, path: tuple[str, ...], value) -> str:
    """The bank text with questions[id=question_id].<path> set to `value`; a missing last field
    is added to its mapping."""
    text = decode(source.encode("utf-8"))
    node = _question(yaml.compose(text, Loader=yaml.SafeLoader), question_id)
    for depth, key in enumerate(path):
        parent, node = node, _value(node, key)
        if node is None and depth == len(path) - 1 and isinstance(parent, yaml.MappingNode) and parent.value:
            return _add_key(text, parent, key, value)
        if node is None:
            raise PatchError(".".join(path))
    if isinstance(node, yaml.SequenceNode) and node.value:
        old = yaml.safe_load(yaml.serialize(node))
        last = node.value[-1].end_mark.index
        if isinstance(value, list) and value[: len(old)] == old:  # append, leaving the items as written
            indent = " " * node.start_mark.column
            added = "".join(
                f", {_flow(item)}" if node.flow_style else f"\n{indent}- {_flow(item)}" for item in value[len(old) :]
            )
            return text[:last] + added + text[last:]
        # A block list ends where its last item does; after that come comments and the next key.
        end = node.end_mark.index if node.flow_style else last
    else:
        end = node.end_mark.index
    return text[: node.start_mark.index] + _flow(value) + text[end:]
