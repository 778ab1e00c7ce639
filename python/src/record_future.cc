#include "record_future.h"

#include <structmember.h>

#include <string>

namespace py = pybind11;

namespace kinesis::python {
namespace {

// Where the bound class keeps each slot in its objects, and its state constants.
struct Layout {
  PyTypeObject* type = nullptr;
  PyObject* no_args = nullptr;  // () for tp_new
  PyObject* running = nullptr;
  PyObject* finished = nullptr;
  Py_ssize_t state = 0;
  Py_ssize_t result = 0;
  Py_ssize_t exception = 0;
  Py_ssize_t cv = 0;
  Py_ssize_t waiters = 0;
  Py_ssize_t callbacks = 0;
};
Layout layout;

// The offset of the __slots__ entry `name` of `cls`, from its member descriptor.
Py_ssize_t SlotOffset(py::handle cls, const char* name) {
  py::object descriptor = cls.attr(name);  // on the class: the descriptor itself
  if (Py_TYPE(descriptor.ptr()) != &PyMemberDescr_Type) {
    throw py::type_error(std::string("the future class has no slot ") + name);
  }
  PyMemberDef* member = reinterpret_cast<PyMemberDescrObject*>(descriptor.ptr())->d_member;
  if (member->type != T_OBJECT_EX) {
    throw py::type_error(std::string("the future class's ") + name + " is not a slot");
  }
  return member->offset;
}

PyObject*& Slot(PyObject* future, Py_ssize_t offset) {
  return *reinterpret_cast<PyObject**>(reinterpret_cast<char*>(future) + offset);
}

// Only for slots whose old value is None, a state constant or unset: dropping it cannot free
// anything, so no Python code runs.
void Set(PyObject* future, Py_ssize_t offset, PyObject* value) {
  PyObject* old = Slot(future, offset);
  Slot(future, offset) = Py_NewRef(value);
  Py_XDECREF(old);
}

bool IsNone(PyObject* value) { return value == nullptr || value == Py_None; }

// For the calls from Python: the slot offsets hold only for the bound class and its subclasses.
PyObject* Checked(py::handle future) {
  if (layout.type == nullptr || !PyObject_TypeCheck(future.ptr(), layout.type)) {
    throw py::type_error("not a future of the bound class");
  }
  return future.ptr();
}

}  // namespace

void RecordFuture::Bind(py::handle cls, py::handle running, py::handle finished) {
  if (!PyType_Check(cls.ptr())) throw py::type_error("the future class is not a class");
  Layout bound;
  bound.state = SlotOffset(cls, "_state");
  bound.result = SlotOffset(cls, "_result");
  bound.exception = SlotOffset(cls, "_exception");
  bound.cv = SlotOffset(cls, "_cv");
  bound.waiters = SlotOffset(cls, "_waiter_list");
  bound.callbacks = SlotOffset(cls, "_callbacks");
  bound.type = reinterpret_cast<PyTypeObject*>(cls.inc_ref().ptr());
  bound.no_args = PyTuple_New(0);
  bound.running = running.inc_ref().ptr();
  bound.finished = finished.inc_ref().ptr();
  layout = bound;  // bound once per interpreter: the references live as long as the module
}

PyObject* RecordFuture::New() {
  if (layout.type == nullptr) {
    PyErr_SetString(PyExc_RuntimeError, "kinesis_producer._native.bind was not called");
    return nullptr;
  }
  // The class's own tp_new (object's): allocation and the instance dictionary's set-up, no
  // __init__.
  PyObject* future = layout.type->tp_new(layout.type, layout.no_args, nullptr);
  if (future == nullptr) return nullptr;
  Set(future, layout.state, layout.running);
  Set(future, layout.result, Py_None);
  Set(future, layout.exception, Py_None);
  Set(future, layout.cv, Py_None);
  Set(future, layout.callbacks, Py_None);
  return future;
}

RecordFuture::Finish RecordFuture::TryFinish(PyObject* future, PyObject* value, PyObject* error) {
  if (!IsNone(Slot(future, layout.cv))) return Finish::kWaitedOn;
  Set(future, layout.result, value);
  Set(future, layout.exception, error);
  Set(future, layout.state, layout.finished);
  PyObject* callbacks = Slot(future, layout.callbacks);
  if (!IsNone(callbacks) && PyList_GET_SIZE(callbacks) > 0) return Finish::kRunCallbacks;
  return Finish::kDone;
}

bool RecordFuture::AddCallback(py::handle future, py::handle fn, py::handle new_list) {
  PyObject* f = Checked(future);
  if (!IsNone(Slot(f, layout.cv)) || Slot(f, layout.state) == layout.finished) return false;
  if (IsNone(Slot(f, layout.callbacks))) Set(f, layout.callbacks, new_list.ptr());
  if (PyList_Append(Slot(f, layout.callbacks), fn.ptr()) != 0) throw py::error_already_set();
  return true;
}

py::object RecordFuture::AttachCondition(py::handle future, py::handle cv, py::handle waiters,
                                         py::handle callbacks) {
  PyObject* f = Checked(future);
  if (IsNone(Slot(f, layout.cv))) {
    if (IsNone(Slot(f, layout.callbacks))) Set(f, layout.callbacks, callbacks.ptr());
    Set(f, layout.waiters, waiters.ptr());
    Set(f, layout.cv, cv.ptr());
  }
  return py::reinterpret_borrow<py::object>(Slot(f, layout.cv));
}

}  // namespace kinesis::python
