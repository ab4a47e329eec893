"""Structure figures (not timed): imports that cross the package rules, existence guesses, module and
function sizes. `python -m benchmarks structure`. The import rules themselves are enforced by import-linter
(`lint-imports`, run by `make lint`); this counts what they would flag, so a before/after can be compared."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("mcp_servers", "orchestrator", "skills", "benchmarks")
SERVICES = ("odoo", "facebook", "instagram", "twitter")
# A service's public face is `mcp_servers.core.service.load_service`; these modules of a service are its own.
GUESS_PATTERNS = {
    "getattr(module, candidate name) probing": re.compile(r"getattr\(\w+, name, None\)"),
    "except ImportError / ModuleNotFoundError": re.compile(r"except\s*\(?\s*(ImportError|ModuleNotFoundError)"),
    "'not built yet' / importlib.util.find_spec": re.compile(r"not built yet|find_spec\("),
}


def _files() -> list[Path]:
    files = [p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))]
    return [p for p in files if not any(part.startswith(".") for part in p.relative_to(ROOT).parts)]


def _imports(tree: ast.AST) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{a.name}" for a in node.names]
    # importlib.import_module("mcp_servers.x.y") / f-strings naming a service module count too
    return names


def _service_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "mcp_servers" and parts[1] in SERVICES else None


def _crosses(own: str, name: str) -> bool:
    """`own` imports `name` around a service's public face, or a benchmark/package imports `tests`."""
    service = _service_of(name)
    if service and service != _service_of(own):
        return True
    return name.split(".")[0] == "tests"


def _crossings(path: Path, tree: ast.AST) -> int:
    own = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    count = sum(1 for name in set(_imports(tree)) if _crosses(own, name))
    if _service_of(own) is None and path.name != "structure.py":  # string-built: f"mcp_servers.{svc}.tools"
        count += len(re.findall(r"mcp_servers\.\{\w+\}\.(?!server\b)[a-z]\w+", path.read_text()))
    return count


def _function_sizes(tree: ast.AST) -> list[tuple[int, str]]:
    sizes = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno:
            sizes.append((node.end_lineno - node.lineno + 1, node.name))
    return sizes


def main() -> dict[str, object]:
    crossings: dict[str, int] = {}
    guesses: dict[str, int] = {k: 0 for k in GUESS_PATTERNS}
    module_lines: list[tuple[int, str]] = []
    functions: list[tuple[int, str]] = []
    for path in _files():
        text = path.read_text()
        tree = ast.parse(text)
        rel = str(path.relative_to(ROOT))
        n = _crossings(path, tree)
        if n:
            crossings[rel] = n
        for label, pattern in GUESS_PATTERNS.items():
            guesses[label] += 0 if path.name == "structure.py" else len(pattern.findall(text))
        module_lines.append((len(text.splitlines()), rel))
        functions += [(size, f"{rel}:{name}") for size, name in _function_sizes(tree)]
    figures: dict[str, object] = {
        "cross_package_imports": sum(crossings.values()),
        "cross_package_by_file": crossings,
        "existence_guesses": guesses,
        "modules": len(module_lines),
        "modules_over_300": sum(1 for n, _ in module_lines if n > 300),
        "max_module": max(module_lines),
        "functions": len(functions),
        "functions_over_40": sum(1 for n, _ in functions if n > 40),
        "max_function": max(functions),
    }
    for key, value in figures.items():
        if isinstance(value, dict):
            print(f"{key}:")
            for k, v in value.items():
                print(f"  {k}: {v}")
        else:
            print(f"{key}: {value}")
    return figures


if __name__ == "__main__":
    main()
