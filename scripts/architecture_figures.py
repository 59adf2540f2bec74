"""Print the structural figures of issue 13 for a checkout (default: this one).

    python scripts/architecture_figures.py [ROOT] [--crossing]

Counts, over portal/ without migrations: imports that go up the layer order (the import-linter
contract in pyproject.toml says the same, with chains), import cycles between the top-level
modules and packages, function-level imports of portal code (and those a comment or docstring
explains), importlib/getattr lookups of portal code, hand-written `except NotFound` blocks in
transport files, raw SQL sites outside queries.py, files over 500 lines, and the untyped service
I/O: functions annotated to return `dict[str, Any]` and functions taking `data: dict[str, Any]`.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from pathlib import Path

LAYERS = [
    "settings",
    "lib db piccolo_conf templating",
    "core",
    "auth nav errors web",
    "partners tenancy",
    "orders",
    "customers",
    "support",
    "communications",
    "deals",
    "finance",
    "performance",
    "home console",
    "routes worker demo doctor export health",
    "app cli",
    "asgi",
]
RANK = {name: i for i, names in enumerate(LAYERS) for name in names.split()}
TRANSPORT = re.compile(r"(pages|console|api|controllers|admin|views)[a-z_]*\.py$")


def _module(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _target(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _untyped(annotation: ast.expr) -> bool:
    """`dict[str, Any]`, written plainly or as a string."""
    text = ast.unparse(annotation).strip("'\"")
    return text.replace(" ", "") == "dict[str,Any]"


def _crossing(root: Path, files: list[Path]) -> list[str]:
    """The functions returning dict[str, Any] that code of another domain (or the web layer)
    calls, by name or through their module: where an untyped output crosses a domain boundary."""
    returns: set[tuple[str, str]] = set()
    trees = {}
    for path in files:
        module = _module(root, path)
        trees[module] = tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if node.returns is not None and _untyped(node.returns):
                    returns.add((module, node.name))
    modules = {m for m, _ in returns}

    def domain(module: str) -> str:
        return module.split(".")[1] if module.count(".") else module

    found: set[str] = set()
    for module, tree in trees.items():
        alias: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for a in node.names:
                    if (node.module, a.name) in returns and domain(node.module) != domain(module):
                        found.add(f"{node.module}.{a.name}")
                    if f"{node.module}.{a.name}" in modules:
                        alias[a.asname or a.name] = f"{node.module}.{a.name}"
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                target = alias.get(node.value.id)
                if target and (target, node.attr) in returns and domain(target) != domain(module):
                    found.add(f"{target}.{node.attr}")
    return sorted(found)


def figures(root: Path) -> dict[str, int]:
    sys.setrecursionlimit(10_000)
    files = [
        p for p in sorted((root / "portal").rglob("*.py")) if "piccolo_migrations" not in p.parts
    ]
    upward = cycles = fn_imports = explained = lookups = not_found = raw_sql = long_files = 0
    dict_returns = dict_data = 0
    graph: dict[str, set[str]] = defaultdict(set)  # module -> portal modules it imports
    known = {_module(root, p) for p in files}
    for path in files:
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        if len(lines) > 500:
            long_files += 1
        module = _module(root, path)
        top = module.split(".")[1] if module.count(".") else ""
        tree = ast.parse(text)
        docstring = ast.get_docstring(tree) or ""
        lookups += len(re.findall(r"importlib\.import_module|importlib\.util\.find_spec", text))
        if TRANSPORT.search(path.name):
            not_found += len(re.findall(r"except NotFound\b", text))
        if path.name != "queries.py":
            raw_sql += len(re.findall(r"\.raw\(", text))
        parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                parents[child] = node
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if node.returns is not None and _untyped(node.returns):
                    dict_returns += 1
                args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
                dict_data += sum(
                    1 for a in args if a.arg == "data" and a.annotation and _untyped(a.annotation)
                )
                continue
            if isinstance(node, ast.ImportFrom):
                targets = [_target(module, node, path.name == "__init__.py")]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            targets = [t for t in targets if t.split(".")[0] == "portal"]
            if not targets:
                continue
            up = parents.get(node)
            in_function = False
            while up is not None:
                if isinstance(up, ast.FunctionDef | ast.AsyncFunctionDef):
                    in_function = True
                    break
                up = parents.get(up)
            if in_function:
                fn_imports += 1
                line = lines[node.lineno - 1]
                if "late" in line or "late on purpose" in docstring:
                    explained += 1
            names = [a.name for a in node.names] if isinstance(node, ast.ImportFrom) else []
            for target in targets:
                # `from portal.x import y` imports the module portal.x.y when there is one
                for found in [f"{target}.{n}" for n in names if f"{target}.{n}" in known] or [
                    target
                ]:
                    while found not in known and "." in found:
                        found = found.rsplit(".", 1)[0]
                    if found in known and found != module:
                        graph[module].add(found)
                other = target.split(".")[1] if target.count(".") else ""
                if top and other and other != top and RANK.get(other, -1) > RANK.get(top, 99):
                    upward += 1
    # cycles: strongly connected groups of more than one module (Tarjan), any import counted
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in list(graph):
        if v not in index:
            visit(v)
    cycles = sum(len(g) for g in groups)
    return {
        "imports up the layers": upward,
        "import cycles between modules": len(groups),
        "  modules on a cycle": cycles,
        "function-level portal imports": fn_imports,
        "  of which explained (late on purpose)": explained,
        "importlib lookups of portal code": lookups,
        "`except NotFound` in transport files": not_found,
        "raw SQL sites outside queries.py": raw_sql,
        "files over 500 lines": long_files,
        "functions returning dict[str, Any]": dict_returns,
        "  of which called from another domain": len(_crossing(root, files)),
        "functions taking data: dict[str, Any]": dict_data,
    }


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    root = Path(args[0]) if args else Path(__file__).resolve().parents[1]
    for name, value in figures(root).items():
        print(f"{name:42} {value}")
    if "--crossing" in sys.argv:
        files = [
            p
            for p in sorted((root / "portal").rglob("*.py"))
            if "piccolo_migrations" not in p.parts
        ]
        for name in _crossing(root, files):
            print(f"  {name}")


if __name__ == "__main__":
    main()
