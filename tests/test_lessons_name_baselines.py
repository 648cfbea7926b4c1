"""Every closing-checklist line in the notebook sources names the baseline it beats.

Reads `notebooks/src/*.py` as Python: each `what_we_saw([...])` must hold only `lesson(...)` calls,
each with a `baseline=` that is not empty and a `measured=` that is computed (not a constant string),
so the next notebook cannot regress to a check without a null that would fail it.
"""
import ast
from pathlib import Path

import pytest

SOURCES = sorted((Path(__file__).resolve().parents[1] / "notebooks" / "src").glob("[0-9][0-9]_*.py"))


def _name(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def checklist_problems(source: str) -> list[str]:
    tree = ast.parse(source)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _name(n) == "what_we_saw"]
    if not calls:
        return ["no what_we_saw([...]) checklist"]
    problems = []
    for call in calls:
        arg = call.args[0] if call.args else None
        if not isinstance(arg, ast.List):
            problems.append(f"line {call.lineno}: what_we_saw takes a literal list of lesson(...) calls")
            continue
        for item in arg.elts:
            if not (isinstance(item, ast.Call) and _name(item) == "lesson"):
                problems.append(f"line {item.lineno}: a checklist line that is not lesson(...)")
                continue
            kw = {k.arg: k.value for k in item.keywords}
            base, measured = kw.get("baseline"), kw.get("measured")
            if base is None or (isinstance(base, ast.Constant) and not str(base.value).strip()):
                problems.append(f"line {item.lineno}: lesson without a baseline")
            if measured is None or isinstance(measured, ast.Constant):
                problems.append(f"line {item.lineno}: lesson whose measured figure is a constant, not computed")
    return problems


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_checklist_lines_name_their_baseline(src):
    problems = checklist_problems(src.read_text())
    assert not problems, f"{src.name}: " + "; ".join(problems)


def test_the_checker_catches_a_line_without_baseline():
    bad = 'what_we_saw([lesson("x", held=True, measured=f"{1}", baseline="")])\nwhat_we_saw([("x", True)])'
    assert len(checklist_problems(bad)) == 2
    good = 'what_we_saw([lesson("x", held=a > b, measured=f"{a}", baseline=f"untrained {b}")])'
    assert checklist_problems(good) == []
