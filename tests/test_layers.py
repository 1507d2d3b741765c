"""The architecture's rules, checked on the source itself.

Imports point one way (domain <- storage <- services, storage <- platform), nothing below the
dialects knows a dialect exists, and every registered dialect is well formed. The import and
word rules parse the source with ``ast`` and read it as text; nothing of it is imported.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest

from openpaws.config import Settings
from openpaws.dialects import registry
from openpaws.dialects.pipeline import Runtime
from openpaws.platform.api_keys import Usage
from openpaws.platform.quotas import Quotas
from openpaws.server import mount

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "openpaws"

# What each layer may import of openpaws (its own package included).
ALLOWED = {
    "domain": {"domain"},
    "storage": {"storage", "domain"},
    "services": {"services", "storage", "domain"},
    "platform": {"platform", "storage", "domain"},
}
# What no layer below the dialects may import at all.
ABOVE = ("openpaws.dialects", "openpaws.server", "openpaws.cli")
# Migrations already applied, which name the dialects they were written for.
EXEMPT = ("storage/migrations/versions/0001_", "storage/migrations/versions/0002_")


def sources(layer: str) -> list[Path]:
    found = sorted((PACKAGE / layer).rglob("*.py"))
    assert found, f"no source under {layer}"
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) of every import in the file."""
    return imports_in(path.read_text(), module_name(path), path.name == "__init__.py")


def imports_in(text: str, module: str, is_package: bool) -> Iterator[tuple[int, str]]:
    """(line, module) of every import in the source of ``module``: relative ones resolved, and
    those under ``if TYPE_CHECKING``, inside functions and ``importlib.import_module("...")``
    too."""
    tree = _parsed(text, module)
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            if base == "openpaws":  # `from openpaws import demo` imports openpaws.demo
                for alias in node.names:
                    yield node.lineno, f"openpaws.{alias.name}"
            else:
                yield node.lineno, base
        elif isinstance(node, ast.Call) and _imports_by_name(node):
            yield node.lineno, cast("ast.Constant", node.args[0]).value


def _parsed(text: str, module: str) -> ast.Module:
    """``ast.parse``, once more when CPython 3.11 raises "AST constructor recursion depth
    mismatch": its AST builder keeps one recursion counter per interpreter, which a thread
    compiling at the same moment (a test app's, in the background) disturbs (CPython
    gh-106905); the source itself parses."""
    try:
        return ast.parse(text, module)
    except SystemError:
        return ast.parse(text, module)


def _imports_by_name(call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return (
        name in ("import_module", "__import__")
        and bool(call.args)
        and isinstance(call.args[0], ast.Constant)
        and isinstance(call.args[0].value, str)
    )


def layer_of(module: str) -> str | None:
    """The part of openpaws a module belongs to (``openpaws.storage.x`` -> ``storage``);
    None for modules outside openpaws."""
    parts = module.split(".")
    if parts[0] != "openpaws":
        return None
    return parts[1] if len(parts) > 1 else "openpaws"


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(PACKAGE.parent)}:{line}"


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_imports_point_one_way(layer: str) -> None:
    allowed = ALLOWED[layer]
    offending = [
        f"{where(path, line)} imports {module}"
        for path in sources(layer)
        for line, module in imports(path)
        if (found := layer_of(module)) is not None and found not in allowed
    ]
    assert not offending, f"openpaws.{layer} may import only {sorted(allowed)}:\n" + "\n".join(
        offending
    )


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_nothing_below_the_dialects_imports_them(layer: str) -> None:
    offending = [
        f"{where(path, line)} imports {module}"
        for path in sources(layer)
        for line, module in imports(path)
        if any(module == above or module.startswith(f"{above}.") for above in ABOVE)
    ]
    assert not offending, "\n".join(offending)


def test_the_import_reader_sees_every_kind_of_import() -> None:
    """The rules above are only as good as the reader: it must see each form of import."""
    text = (
        "from __future__ import annotations\n"
        "import openpaws.cli\n"
        "from openpaws import server\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from openpaws.dialects.registry import Dialect\n"
        "def late():\n"
        "    from ..platform import quotas\n"
        "    from .. import config\n"
        "    import importlib\n"
        "    return importlib.import_module('openpaws.dialects.petfinder')\n"
        "from .database import Reader\n"
    )
    found = [module for _, module in imports_in(text, "openpaws.storage.probe", False)]
    assert found.count("__future__") == 1 and "typing" in found and "importlib" in found
    assert "openpaws.cli" in found and "openpaws.server" in found
    assert "openpaws.dialects.registry" in found and "openpaws.platform" in found
    assert "openpaws.config" in found and "openpaws.dialects.petfinder" in found
    assert "openpaws.storage.database" in found
    in_package = [m for _, m in imports_in("from . import x\n", "openpaws.storage", True)]
    assert in_package == ["openpaws.storage"]


def dialect_words() -> list[str]:
    """What names a dialect: its name, its title, its key prefix, and PawPlacer's error code
    for a missing pet."""
    words = {"pet_not_found"}
    for dialect in registry.dialects():
        words |= {dialect.name, dialect.title}
        if dialect.keys is not None:
            words.add(dialect.keys.prefix)
    return sorted(words)


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_no_dialect_words_below_the_dialects(layer: str) -> None:
    words = dialect_words()
    assert "petfinder" in words and "pawplacer" in words and "opk_" in words
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    hits = []
    for path in sources(layer):
        if any(str(path.relative_to(PACKAGE)).startswith(exempt) for exempt in EXEMPT):
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for found in pattern.finditer(line):
                hits.append(f"{where(path, number)}: {found.group(0)!r} in {line.strip()!r}")
    assert not hits, "dialect words below the dialects:\n" + "\n".join(hits)


def test_the_exempt_migrations_exist() -> None:
    """The exemption names real files (a renamed migration must not silently widen it)."""
    versions = sorted((PACKAGE / "storage" / "migrations" / "versions").glob("*.py"))
    names = [str(v.relative_to(PACKAGE)) for v in versions]
    for exempt in EXEMPT:
        assert sum(name.startswith(exempt) for name in names) == 1, (exempt, names)


# --- Every registered dialect is well formed ---


def runtime() -> Runtime:
    """What mounting a dialect needs; no route is run, so no database is opened."""
    return Runtime(
        db=cast("Any", None),
        settings=Settings(),
        quotas=Quotas(None, "layers"),
        key_usage=Usage(),
        attempts=cast("Any", None),
        trusted_proxies=(),
        inline_reads=True,
        threads=cast("Any", None),
    )


def test_there_are_dialects() -> None:
    names = [d.name for d in registry.dialects()]
    assert {"petfinder", "pawplacer"} <= set(names)
    assert names == sorted(names)


def test_dialect_prefixes_are_unique() -> None:
    dialects = registry.dialects()
    declared = [d.prefix.rstrip("/") for d in dialects]
    assert len(set(declared)) == len(declared), declared
    settings = Settings()
    mounted = [settings.prefix(d.name, d.prefix) for d in dialects]
    assert len(set(mounted)) == len(mounted), mounted


@pytest.mark.parametrize("dialect", registry.dialects(), ids=lambda d: d.name)
def test_dialect_is_well_formed(dialect: registry.Dialect) -> None:
    assert dialect.name == dialect.name.lower() and dialect.name.isidentifier()
    assert dialect.prefix.startswith("/"), dialect.prefix
    assert dialect.contract.is_file(), dialect.contract
    assert dialect.contract.read_text().lstrip().startswith("openapi:")
    if dialect.migrations is not None:
        assert dialect.migrations.is_dir(), dialect.migrations
    mounted, routes = mount(dialect, runtime())
    assert routes, f"{dialect.name} declares no routes"
    bad = [f"{r.method} {r.path}" for r in routes if not r.path.startswith("/")]
    assert not bad, f"{dialect.name} routes not starting with '/': {bad}"
    declared = [(r.method, r.path) for r in routes]
    assert len(set(declared)) == len(declared), f"{dialect.name} declares a route twice"
    for route in routes:
        if route.scope is not None:
            assert dialect.auth is not None, f"{route.path} needs a credential; no auth scheme"
        if route.quota is not None:
            assert route.quota in mounted.quotas, f"{route.path}: unknown quota {route.quota}"
