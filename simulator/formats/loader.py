"""Read a user's YAML file into a pydantic model, or say exactly where and why it is wrong.

PyYAML's safe composer gives a node tree with line marks; pydantic gives each error a field path. Walking the
path through the node tree finds the line. The data itself comes from the same safe loader (no Python tags).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from simulator.errors import FileFormatError, Problem
from simulator.formats.plan import ACTIONS
from simulator.hazards import REGISTRY

MAX_FILE_MB = 2  # also every upload's limit in the app (its file_uploaders, .streamlit/config.toml)
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024  # a scenario or plan larger than this is not hand-written
MAX_DEPTH = 40  # deeper nesting than any of our formats has is an attack or an accident
MAX_NODES = 200_000  # nodes once aliases are expanded: far above any real scenario, far below a "billion laughs"

M = TypeVar("M", bound=BaseModel)


def read_bytes(path: str | Path, data: bytes | None = None) -> bytes:
    """The file's bytes (or ``data``, named ``path``), refusing a missing file and one too large to be hand-written."""
    name = str(path)
    if data is None:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise FileFormatError([Problem(name, None, "", "文件不存在 (file not found)")]) from None
        except OSError as exc:
            raise FileFormatError([Problem(name, None, "", f"无法读取文件 (cannot read): {exc.strerror}")]) from None
    if len(data) > MAX_FILE_BYTES:
        raise FileFormatError(
            [Problem(name, None, "", f"文件过大 ({len(data)} 字节)，上限 {MAX_FILE_BYTES} 字节 (too large)")]
        )
    return data


def read_text(path: str | Path, data: bytes | None = None) -> str:
    """The file's text, refusing what no user meant to give us (missing, too large, not UTF-8, empty)."""
    name = str(path)
    data = read_bytes(path, data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileFormatError([Problem(name, line, "", "文件不是 UTF-8 编码 (expected UTF-8 text)")]) from None
    if not text.strip():
        raise FileFormatError([Problem(name, None, "", "文件为空 (the file is empty)")])
    return text


def _safe_loader(text: str) -> type[yaml.SafeLoader]:
    """libyaml's safe loader (several times faster) unless the text nests brackets deeply: libyaml's composer
    recurses in C and would crash the process, where the pure-Python one stops with a RecursionError we report.
    The count is an upper bound (brackets inside strings count too), which only ever picks the slower loader."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is None:
        return yaml.SafeLoader
    depth = deepest = 0
    for bracket in _BRACKETS.findall(text):
        depth = depth + 1 if bracket in "[{" else max(0, depth - 1)
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            return yaml.SafeLoader
    return fast


_BRACKETS = re.compile(r"[\[\]{}]")


def compose(text: str, name: str) -> tuple[Any, yaml.Node]:
    """Parse YAML safely, returning the data and its node tree (for line numbers)."""
    try:
        loader = _safe_loader(text)(text)
    except yaml.YAMLError as exc:  # a control character the YAML reader refuses
        raise FileFormatError(
            [Problem(name, None, "", f"文件含有不可打印字符 (unprintable characters): {exc}")]
        ) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise FileFormatError([Problem(name, None, "", "文件为空 (the file is empty)")])
        problems = _structure_problems(node, name)
        if problems:
            raise FileFormatError(problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise FileFormatError(
            [Problem(name, line, "", f"YAML 语法错误 (syntax error): {exc.problem or exc}")]
        ) from None
    except yaml.YAMLError as exc:
        raise FileFormatError([Problem(name, None, "", f"YAML 错误 (YAML error): {exc}")]) from None
    except RecursionError:  # the composer recurses per level: a file nested thousands deep stops it
        raise FileFormatError([Problem(name, None, "", f"嵌套超过 {MAX_DEPTH} 层 (nested too deeply)")]) from None
    finally:
        loader.dispose()
    return data, node


class _Refused(Exception):
    def __init__(self, node: yaml.Node, message: str):
        self.node, self.message = node, message


def _structure_problems(root: yaml.Node, name: str) -> list[Problem]:
    """Duplicate keys (PyYAML keeps the last silently), absurd nesting, and aliases that expand to a flood of
    nodes (a small file that would take minutes to validate), found before anything is constructed.

    Each distinct node is visited once (aliases point at the same node object), remembering its height and how
    many nodes it stands for once expanded, so the check itself stays linear in the file.
    """
    problems: list[Problem] = []
    memo: dict[int, tuple[int, int]] = {}  # id(node) -> (height, expanded size)

    def visit(node: yaml.Node, depth: int) -> tuple[int, int]:
        known = memo.get(id(node))
        if known is not None:
            if depth + known[0] > MAX_DEPTH:
                raise _Refused(node, f"嵌套超过 {MAX_DEPTH} 层 (nested too deeply)")
            return known
        if depth > MAX_DEPTH:
            raise _Refused(node, f"嵌套超过 {MAX_DEPTH} 层 (nested too deeply)")
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        problems.append(Problem(name, key.start_mark.line + 1, key.value, "重复的键 (duplicate key)"))
                    seen.add(key.value)
                children.append(value)
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        height, size = 1, 1
        for child in children:
            child_height, child_size = visit(child, depth + 1)
            height, size = max(height, child_height + 1), size + child_size
        if size > MAX_NODES:
            raise _Refused(node, f"别名展开后超过 {MAX_NODES} 个节点 (aliases expand to too much)")
        memo[id(node)] = (height, size)
        return height, size

    try:
        visit(root, 0)
    except _Refused as refused:
        problems.append(Problem(name, refused.node.start_mark.line + 1, "", refused.message))
    return problems


def line_of(node: yaml.Node, loc: tuple[Any, ...]) -> int:
    """The line of the deepest node on ``loc`` that exists (a missing field points at its parent)."""
    current = node
    for part in loc:
        if _is_union_tag(part):
            continue
        child = None
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    child = value if not isinstance(value, yaml.ScalarNode) else key
                    break
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(current.value):
            child = current.value[part]
        if child is None:
            break
        current = child
    return current.start_mark.line + 1


def field_path(loc: tuple[Any, ...]) -> str:
    """``('injects', 3, 'at')`` -> ``injects[3].at``; pydantic's union tags are dropped."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _is_union_tag(part):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


def _is_union_tag(part: Any) -> bool:
    """Discriminated-union and validator steps pydantic puts into a loc, which are not fields of the file."""
    return isinstance(part, str) and (part.startswith(("function-", "tagged-union")) or part in _TAGS)


_TAGS = {"fixed", "uniform", "triangular", "lognormal", "exponential", *REGISTRY, *ACTIONS}


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    msg = error["msg"]
    if kind == "missing":
        return "缺少必填字段 (field required)"
    if kind == "extra_forbidden":
        return "未知字段，可能是拼写错误 (unknown field, perhaps a typo)"
    if kind == "union_tag_invalid":
        expected = error.get("ctx", {}).get("expected_tags", "")
        return f"取值无效，应为 {expected} 之一 (expected one of {expected})"
    if kind == "too_long":  # a list past its cap (a plan's decisions: plan.MAX_DECISIONS)
        ctx = error.get("ctx", {})
        most, given = ctx.get("max_length"), ctx.get("actual_length")
        return f"最多 {most} 项，此处有 {given} 项 (at most {most} items, {given} given)"
    if kind == "union_tag_not_found":
        return f"缺少类型字段 {error.get('ctx', {}).get('discriminator', '')} (missing type field)"
    words = _IN_CHINESE.get(kind)
    if kind == "string_pattern_mismatch" and (error.get("ctx") or {}).get("pattern") == _ID_PATTERN:
        words = "编号应以英文字母开头，只含英文字母、数字和下划线"
    if words is not None:  # pydantic's common messages, in the file's language, with pydantic's own after them
        ctx = {k: _number(v) for k, v in (error.get("ctx") or {}).items()}
        try:
            return f"{words.format(**ctx)} ({msg})"
        except (KeyError, IndexError, ValueError):
            return msg
    return msg.removeprefix("Value error, ")


def _number(value: Any) -> Any:
    """``0`` for pydantic's ``0.0`` bound: a whole number is written whole."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


_ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*$"
#: pydantic's most common error types in Chinese (its ``ctx`` fills the blanks)
_IN_CHINESE = {
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "finite_number": "应为有限的数值，不能是 NaN 或无穷大",
    "string_too_long": "文字过长，最多 {max_length} 个字符",
    "string_too_short": "不能为空",
    "too_short": "至少应有 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "string_pattern_mismatch": "格式不对，应符合 {pattern}",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "dict_type": "应为键值映射",
    "model_type": "应为键值映射",
    "literal_error": "应为 {expected} 之一",
}


def load_model(model: type[M], path: str | Path, data: bytes | None = None, *, extra_checks=None) -> M:
    """Load ``path`` (or the given bytes, named ``path``) as ``model``; raise FileFormatError with located problems.

    ``extra_checks(obj)`` may return more ``(loc, message)`` problems (cross-references), located the same way.
    """
    name = str(path)
    text = read_text(path, data)
    raw, node = compose(text, name)
    if not isinstance(raw, dict):
        raise FileFormatError([Problem(name, 1, "", "顶层应为键值映射 (expected a mapping at the top level)")])
    try:
        obj = model.model_validate(raw)
    except ValidationError as exc:
        problems = [
            Problem(name, line_of(node, err["loc"]), field_path(err["loc"]), _message(err)) for err in exc.errors()
        ]
        if extra_checks is not None:  # every problem in one round, not the cross-references after a fix
            problems += [
                Problem(name, line_of(node, loc), field_path(loc), msg)
                for loc, msg in _checks_of_the_rest(model, raw, exc, extra_checks)
            ]
        raise FileFormatError(_unique(problems)) from None
    except RecursionError:
        raise FileFormatError([Problem(name, None, "", "嵌套过深 (nested too deeply)")]) from None
    if extra_checks is not None:
        problems = [Problem(name, line_of(node, loc), field_path(loc), msg) for loc, msg in extra_checks(obj)]
        if problems:
            raise FileFormatError(problems)
    return obj


def _checks_of_the_rest(model: type[M], raw: dict, exc: ValidationError, extra_checks) -> list[tuple[Any, str]]:
    """The cross-reference problems of a file that also has field errors, so an author sees both in one round.

    Where every field error lies inside an item of a top-level list (``injects[2].at``), those items are left out
    and the rest validated again; ``extra_checks`` then runs on it, its locations mapped back to the items' places
    in the file, and a problem naming a left-out item's id is dropped (that item exists; it just has an error of
    its own). Any other error (a missing top-level field, a list left empty …) gives no second look: nothing is
    guessed."""
    bad: dict[str, set[int]] = {}
    for err in exc.errors():
        loc = err["loc"]
        if len(loc) < 2 or not isinstance(loc[1], int) or not isinstance(raw.get(loc[0]), list):
            return []
        bad.setdefault(loc[0], set()).add(loc[1])
    places = {key: [i for i in range(len(raw[key])) if i not in drop] for key, drop in bad.items()}
    left_out = {str(raw[key][i].get("id")) for key, drop in bad.items() for i in drop if isinstance(raw[key][i], dict)}
    try:
        obj = model.model_validate({**raw, **{key: [raw[key][i] for i in kept] for key, kept in places.items()}})
    except (ValidationError, RecursionError):
        return []
    found = []
    for loc, msg in extra_checks(obj):
        if any(f"'{ident}'" in msg for ident in left_out):
            continue
        if len(loc) >= 2 and loc[0] in places and isinstance(loc[1], int) and loc[1] < len(places[loc[0]]):
            loc = (loc[0], places[loc[0]][loc[1]], *loc[2:])
        found.append((loc, msg))
    return found


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for p in problems:
        key = (p.line, p.field, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
