"""The import rules, read from the source with ``ast`` (nothing is imported):

- the core (``communities``, ``luodian``) never imports an app (``landlords``, ``talents``, ``propertyservice``);
- no app imports another app;
- no selector imports a service (a read never reaches for a write);
- no test module imports another test module (shared fixtures live in ``conftest.py``);
- no import cycle among the project's modules at module level. Imports inside functions are what breaks a
  cycle on purpose and are left out, as are those under ``if TYPE_CHECKING:``; so is a submodule importing its
  own package (``from . import x`` in ``models/cases.py``), which Python resolves from the half-built package.

The first four count every import, at module level or not: an import inside a function is a dependency too.
Each rule also runs against a small made-up tree, so that a checker that silently finds nothing fails.
"""
import ast
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ("communities", "luodian")
APPS = ("landlords", "talents", "propertyservice")
PACKAGES = (*CORE, *APPS, "tests")


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module (the deepest project module the statement names)
    line: int
    module_level: bool  # run when the module is imported (not inside a function, not under TYPE_CHECKING)


def project_modules(root: Path, packages=PACKAGES) -> dict[str, Path]:
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if any(part.startswith(".") or part in ("migrations", "node_modules") for part in parts):
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk(node, module_level=True):
    """(import statement, runs at import time) for every import in ``node``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child, module_level
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            yield from _walk(child, False)
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            for stmt in child.body:
                yield from _walk(ast.Module(body=[stmt], type_ignores=[]), False)
            for stmt in child.orelse:
                yield from _walk(ast.Module(body=[stmt], type_ignores=[]), module_level)
        else:
            yield from _walk(child, module_level)


def _deepest_known(name: str, modules) -> str | None:
    parts = name.split(".")
    while parts:
        if ".".join(parts) in modules:
            return ".".join(parts)
        parts.pop()
    return None


def module_imports(name: str, path: Path, modules) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node, module_level in _walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(base + ([node.module] if node.module else []))
            else:
                base = node.module
            # ``from x import y``: y is a submodule or a name in x.
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        for target in dict.fromkeys(_deepest_known(n, modules) for n in names):
            if target and target != name:
                found.append(Import(name, target, node.lineno, module_level))
    return found


def import_graph(root: Path = ROOT, packages=PACKAGES) -> list[Import]:
    modules = project_modules(root, packages)
    return [imp for name, path in modules.items() for imp in module_imports(name, path, modules)]


def _top(name: str) -> str:
    return name.split(".")[0]


def _layer(name: str) -> str | None:
    """``selectors`` or ``services`` when the module is (in) one of those packages."""
    parts = name.split(".")
    return next((part for part in parts[1:] if part in ("selectors", "services")), None)


def core_imports_app(imports):
    return [i for i in imports if _top(i.source) in CORE and _top(i.target) in APPS]


def app_imports_app(imports):
    return [i for i in imports if _top(i.source) in APPS and _top(i.target) in APPS and _top(i.source) != _top(i.target)]


def selector_imports_service(imports):
    return [i for i in imports if _top(i.source) != "tests" and _layer(i.source) == "selectors"
            and _layer(i.target) == "services"]


def service_imports_tasks(imports):
    return [i for i in imports if _top(i.source) != "tests" and _layer(i.source) == "services"
            and i.target.rpartition(".")[2] == "tasks"]


def imports_between_tests(imports):
    """Imports of a test module by any module of the suite (a test module or a helper such as case_world)."""
    def is_test(name):
        return _top(name) == "tests" and name.rpartition(".")[2].startswith("test_")
    return [i for i in imports if _top(i.source) == "tests" and is_test(i.target)]



def import_cycles(imports) -> list[list[str]]:
    """Strongly connected components (Tarjan) of the module-level graph with more than one module."""
    graph: dict[str, set[str]] = {}
    for i in imports:
        # A submodule importing its own package runs nothing new: the package is already being imported.
        if i.module_level and not i.source.startswith(i.target + "."):
            graph.setdefault(i.source, set()).add(i.target)
            graph.setdefault(i.target, set())
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(start):
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def _explain(found) -> str:
    return "\n".join(f"  {i.source} (line {i.line}) imports {i.target}" for i in found)


# --- the project ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def imports():
    return import_graph()


def test_the_graph_is_read(imports):
    sources = {i.source for i in imports}
    assert {"communities.views.cases", "landlords.apps", "luodian.urls"} <= sources
    assert any(i.source == "communities.tasks" and i.target.startswith("communities.services") for i in imports)


def test_core_never_imports_an_app(imports):
    found = core_imports_app(imports)
    assert not found, "the core reaches apps only through communities/extensions.py:\n" + _explain(found)


def test_no_app_imports_another(imports):
    found = app_imports_app(imports)
    assert not found, "what two apps share belongs in the core:\n" + _explain(found)


def test_no_selector_imports_a_service(imports):
    found = selector_imports_service(imports)
    assert not found, "selectors read; a read predicate or constant they need lives in selectors:\n" + _explain(found)


def test_no_test_module_imports_another(imports):
    found = imports_between_tests(imports)
    assert not found, "shared fixtures and helpers go in conftest.py or a helper module:\n" + _explain(found)


def test_no_service_imports_tasks(imports):
    found = service_imports_tasks(imports)
    assert not found, ("tasks call services; a service queues a task by its name "
                       "(current_app.signature(name, ...)):\n" + _explain(found))


def test_no_import_cycle(imports):
    cycles = import_cycles(imports)
    assert not cycles, "module-level import cycles:\n" + "\n".join("  " + " ↔ ".join(c) for c in cycles)


def test_services_enqueue_tasks_by_a_name_that_exists():
    from communities import tasks
    from communities.services import notifications

    assert notifications.DELIVER_TASK == tasks.deliver_notification.name


def test_web_and_worker_processes_do_not_load_demo_or_bench_code():
    """``django.setup()`` (what every web and worker process runs) imports no demo seeder or benchmark."""
    code = ("import sys, django; django.setup(); "
            "print(' '.join(m for m in sys.modules if '.demo' in m or '.bench' in m))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "luodian.settings"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []


def test_a_demo_seeder_is_registered_by_its_dotted_path():
    from communities import extensions

    assert ("蓉治社 team and elections", "landlords.demo.team.demo_team_seed") in extensions.DEMO_SEEDERS
    with pytest.raises(TypeError):
        extensions.register_demo_seeder("a function", lambda: {})
    assert all(isinstance(path, str) for _name, path in extensions.DEMO_SEEDERS)


# --- the checker itself, on a made-up tree -----------------------------------------------------------------

def _tree(tmp_path, files: dict[str, str]) -> list[Import]:
    for rel, source in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        for parent in path.relative_to(tmp_path).parents[:-1]:
            (tmp_path / parent / "__init__.py").touch()
    return import_graph(tmp_path)


def test_checker_finds_each_forbidden_import(tmp_path):
    imports = _tree(tmp_path, {
        "communities/views/home.py": "from landlords.navigation import nav\n",
        "communities/selectors/cases.py": "def f():\n    from ..services.cases import case_file\n",
        "landlords/navigation.py": "from talents import models\n",
        "talents/models.py": "",
        "communities/services/cases.py": "",
        "tests/communities/test_a.py": "from .test_b import fixture\n",
        "tests/communities/test_b.py": "fixture = None\n",
    })
    assert [(i.source, i.target) for i in core_imports_app(imports)] == [("communities.views.home", "landlords.navigation")]
    assert [(i.source, i.target) for i in app_imports_app(imports)] == [("landlords.navigation", "talents.models")]
    assert [(i.source, i.target) for i in selector_imports_service(imports)] == [
        ("communities.selectors.cases", "communities.services.cases")]
    assert [(i.source, i.target) for i in imports_between_tests(imports)] == [
        ("tests.communities.test_a", "tests.communities.test_b")]


def test_checker_finds_cycles_at_module_level_only(tmp_path):
    imports = _tree(tmp_path, {
        "communities/services/notify.py": "from communities.tasks import deliver\n",
        "communities/tasks.py": "from .services import notify\n",
        "communities/services/late.py": "def f():\n    from ..tasks import deliver\n",  # not a cycle; a slip
        "communities/selectors/typed.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import other\n",
        "communities/selectors/other.py": "from . import typed\n",
        "communities/models/__init__.py": "from .cases import Case\n",
        "communities/models/cases.py": "from . import people\nfrom communities import models\n",
        "communities/models/people.py": "",
    })
    assert import_cycles(imports) == [["communities.services.notify", "communities.tasks"]]
    assert {i.source for i in service_imports_tasks(imports)} == {"communities.services.notify",
                                                                  "communities.services.late"}
