#!/usr/bin/env python3
"""Reads an Airflow DAG file with Python's ast, without importing Airflow, and prints what the recipe tests check.

Usage: python3 dag_facts.py DAG_FILE. Prints JSON:
  dags             ids of the DAGs the file constructs (DAG(...) called, in a with statement or not)
  import_fallbacks {"try", "except", "names"}: an import in a try block with the import an ImportError falls back to
  imports          every module imported (from ... import ...)
  tasks            {"var", "operator", "task_id", "kwargs"}: operator calls and their keyword arguments that are
                   string constants or built from them (module-level names, +, f-strings); others are null
  upstream         task_id -> every task id upstream of it (through >>, <<, set_upstream/set_downstream, chain)
A file that does not parse exits 1 with Python's SyntaxError.
"""
import ast
import json
import sys


class Unknown(Exception):
    pass


def evaluate(node, names):
    """The string an expression builds from constants, or Unknown."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, bool)):
        return node.value
    if isinstance(node, ast.Name) and node.id in names:
        return evaluate(names[node.id], names)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = evaluate(node.left, names), evaluate(node.right, names)
        if isinstance(left, str) and isinstance(right, str):
            return left + right
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                if value.format_spec is not None or value.conversion not in (-1, 115):
                    raise Unknown()
                parts.append(str(evaluate(value.value, names)))
            else:
                parts.append(str(evaluate(value, names)))
        return "".join(parts)
    raise Unknown()


def try_evaluate(node, names):
    try:
        return evaluate(node, names)
    except Unknown:
        return None


def call_name(call):
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def catches_import_error(handler):
    kinds = handler.type
    if kinds is None:
        return True
    elements = kinds.elts if isinstance(kinds, ast.Tuple) else [kinds]
    return any(isinstance(k, ast.Name) and k.id in ("ImportError", "ModuleNotFoundError", "Exception") for k in elements)


def import_fallbacks(tree):
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        tried = [s for s in node.body if isinstance(s, ast.ImportFrom)]
        for handler in node.handlers:
            if not catches_import_error(handler):
                continue
            for fallback in (s for s in handler.body if isinstance(s, ast.ImportFrom)):
                for first in tried:
                    names = sorted({a.asname or a.name for a in first.names} & {a.asname or a.name for a in fallback.names})
                    if names:
                        found.append({"try": first.module, "except": fallback.module, "names": names})
    return found


def main(path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as e:
        print(f"{path}:{e.lineno}: {e.msg}", file=sys.stderr)
        return 1

    # Module-level constants (NAME = expression), for the expressions that use them.
    names = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            names[node.targets[0].id] = node.value

    dags, tasks, by_var, edges = [], [], {}, []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and call_name(node) == "DAG":
            kwargs = {k.arg: try_evaluate(k.value, names) for k in node.keywords if k.arg}
            dag_id = kwargs.get("dag_id") or (try_evaluate(node.args[0], names) if node.args else None)
            dags.append(dag_id)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            operator = call_name(node.value)
            if operator and operator.endswith("Operator"):
                kwargs = {k.arg: try_evaluate(k.value, names) for k in node.value.keywords if k.arg}
                task = {"var": node.targets[0].id, "operator": operator, "task_id": kwargs.get("task_id"), "kwargs": kwargs}
                tasks.append(task)
                by_var[task["var"]] = task["task_id"]

    def task_ids(node):
        if isinstance(node, ast.Name) and node.id in by_var:
            return [by_var[node.id]]
        if isinstance(node, (ast.List, ast.Tuple)):
            return [t for e in node.elts for t in task_ids(e)]
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.RShift, ast.LShift)):
            # a >> b >> c: the value of (a >> b) is b.
            return task_ids(node.right)
        return []

    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.RShift, ast.LShift)):
            left, right = task_ids(node.left), task_ids(node.right)
            up, down = (left, right) if isinstance(node.op, ast.RShift) else (right, left)
            edges += [(u, d) for u in up for d in down]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("set_upstream", "set_downstream"):
            me, others = task_ids(node.func.value), [t for a in node.args for t in task_ids(a)]
            edges += [(o, m) if node.func.attr == "set_upstream" else (m, o) for m in me for o in others]
        if isinstance(node, ast.Call) and call_name(node) == "chain":
            steps = [task_ids(a) for a in node.args]
            edges += [(u, d) for a, b in zip(steps, steps[1:]) for u in a for d in b]

    upstream = {}
    for task in tasks:
        seen, todo = set(), [task["task_id"]]
        while todo:
            current = todo.pop()
            for u, d in edges:
                if d == current and u not in seen:
                    seen.add(u)
                    todo.append(u)
        upstream[task["task_id"]] = sorted(seen)

    imports = sorted({n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module})
    print(json.dumps({"dags": dags, "imports": imports, "import_fallbacks": import_fallbacks(tree), "tasks": tasks, "upstream": upstream}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
