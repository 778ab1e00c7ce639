"""The package is typed (PEP 561): py.typed beside the modules, and _native.pyi names what the
extension holds, no more and no less (classes, their public methods and attributes)."""

import ast
import os

import kinesis_producer
from kinesis_producer import _native

PACKAGE = os.path.dirname(kinesis_producer.__file__)


def public(names):
    return {n for n in names if not n.startswith("_")}


def stub_tree():
    with open(os.path.join(PACKAGE, "_native.pyi"), encoding="utf-8") as f:
        return ast.parse(f.read())


def defined(body):
    """Names a stub's body defines: classes, functions, annotated or assigned names."""
    names = set()
    for node in body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets)
    return names


def test_py_typed_is_in_the_package():
    assert os.path.isfile(os.path.join(PACKAGE, "py.typed"))


def test_the_stub_names_the_modules_names():
    tree = stub_tree()
    aliases = {"PutFunction"}  # a type alias of the stub's own
    assert public(defined(tree.body)) - aliases == public(dir(_native))


def test_the_stub_names_each_classs_methods_and_attributes():
    for node in stub_tree().body:
        if not isinstance(node, ast.ClassDef) or node.name == "KinesisError":
            continue
        cls = getattr(_native, node.name)
        assert public(defined(node.body)) == public(dir(cls)), node.name
