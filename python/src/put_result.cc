#include "put_result.h"

#include <structmember.h>

#include <cstddef>

namespace kinesis::python {
namespace {

struct PutResultObject {
  PyObject_HEAD PyObject* shard_id;
  PyObject* sequence_number;
  PyObject* error_code;
  PyObject* error_message;
  unsigned long long sub_sequence_number;  // NOLINT(google-runtime-int): T_ULONGLONG's type
  int attempts;
  char success;
  char aggregated;
};

// The type made by MakePutResultType; Make allocates with it.
PyTypeObject* put_result_type = nullptr;

PutResultObject* Allocate(PyTypeObject* type) {
  auto* r = PyObject_New(PutResultObject, type);
  if (r == nullptr) return nullptr;
  r->shard_id = r->sequence_number = r->error_code = r->error_message = nullptr;
  return r;
}

// PutResult(success, shard_id, sequence_number, sub_sequence_number, aggregated, error_code,
// error_message, attempts), as the package's pure-Python PutResult was made.
PyObject* New(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  static const char* names[] = {
      "success",    "shard_id",   "sequence_number", "sub_sequence_number",
      "aggregated", "error_code", "error_message",   "attempts",
      nullptr};
  int success = 0;
  int aggregated = 0;
  PyObject* fields[4] = {};
  unsigned long long sub_sequence_number = 0;  // NOLINT(google-runtime-int): what "K" writes
  int attempts = 0;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "pOOKpOOi", const_cast<char**>(names), &success,
                                   &fields[0], &fields[1], &sub_sequence_number, &aggregated,
                                   &fields[2], &fields[3], &attempts)) {
    return nullptr;
  }
  PutResultObject* r = Allocate(type);
  if (r == nullptr) return nullptr;
  PyObject** slots[4] = {&r->shard_id, &r->sequence_number, &r->error_code, &r->error_message};
  for (int i = 0; i < 4; ++i) *slots[i] = Py_NewRef(fields[i]);
  r->sub_sequence_number = sub_sequence_number;
  r->attempts = attempts;
  r->success = static_cast<char>(success);
  r->aggregated = static_cast<char>(aggregated);
  return reinterpret_cast<PyObject*>(r);
}

void Dealloc(PyObject* self) {
  auto* r = reinterpret_cast<PutResultObject*>(self);
  Py_XDECREF(r->shard_id);
  Py_XDECREF(r->sequence_number);
  Py_XDECREF(r->error_code);
  Py_XDECREF(r->error_message);
  PyTypeObject* type = Py_TYPE(self);
  type->tp_free(self);
  Py_DECREF(type);  // a heap type: each instance holds a reference
}

PyObject* Repr(PyObject* self) {
  auto* r = reinterpret_cast<PutResultObject*>(self);
  if (r->success) {
    return PyUnicode_FromFormat(
        "PutResult(shard_id=%R, sequence_number=%R, sub_sequence_number=%llu)", r->shard_id,
        r->sequence_number, r->sub_sequence_number);
  }
  return PyUnicode_FromFormat("PutResult(error_code=%R, error_message=%R)", r->error_code,
                              r->error_message);
}

// Pickling (and copy): PutResult(*fields), as the pure-Python class it replaced allowed.
PyObject* Reduce(PyObject* self, PyObject* /*unused*/) {
  auto* r = reinterpret_cast<PutResultObject*>(self);
  return Py_BuildValue("O(NOOKNOOi)", Py_TYPE(self), PyBool_FromLong(r->success), r->shard_id,
                       r->sequence_number, r->sub_sequence_number, PyBool_FromLong(r->aggregated),
                       r->error_code, r->error_message, r->attempts);
}

PyMethodDef methods[] = {
    {"__reduce__", &Reduce, METH_NOARGS, nullptr},
    {nullptr, nullptr, 0, nullptr},
};

#define KP_FIELD(name, type, doc) \
  { #name, type, offsetof(PutResultObject, name), READONLY, const_cast < char*>(doc) }

PyMemberDef members[] = {
    KP_FIELD(success, T_BOOL, "True when the record was written"),
    KP_FIELD(shard_id, T_OBJECT_EX, "the shard it was written to (str; empty on failure)"),
    KP_FIELD(sequence_number, T_OBJECT_EX, "the Kinesis record's sequence number (str)"),
    KP_FIELD(sub_sequence_number, T_ULONGLONG, "its index inside an aggregated record"),
    KP_FIELD(aggregated, T_BOOL, "True when it was written inside an aggregated record"),
    KP_FIELD(error_code, T_OBJECT_EX, "why it failed (str; empty on success)"),
    KP_FIELD(error_message, T_OBJECT_EX, "the failure's message (str)"),
    KP_FIELD(attempts, T_INT, "how many times it was sent"),
    {nullptr, 0, 0, 0, nullptr},
};

#undef KP_FIELD

PyType_Slot slots[] = {
    {Py_tp_doc,
     const_cast<char*>("The result of one record: where it was written, or why it was not.")},
    {Py_tp_new, reinterpret_cast<void*>(&New)},
    {Py_tp_dealloc, reinterpret_cast<void*>(&Dealloc)},
    {Py_tp_repr, reinterpret_cast<void*>(&Repr)},
    {Py_tp_members, members},
    {Py_tp_methods, methods},
    {0, nullptr},
};

PyType_Spec spec = {"kinesis_producer.PutResult", sizeof(PutResultObject), 0, Py_TPFLAGS_DEFAULT,
                    slots};

}  // namespace

PyObject* MakePutResultType() {
  PyObject* type = PyType_FromSpec(&spec);
  if (type != nullptr) put_result_type = reinterpret_cast<PyTypeObject*>(Py_NewRef(type));
  return type;
}

PyObject* PutResultMaker::Shared(const char* text, Last& last) {
  if (!last.str || last.text != text) {
    last.text = text;
    last.str = pybind11::str(text);
  }
  return Py_NewRef(last.str.ptr());
}

PyObject* PutResultMaker::Make(const kinesis_result& from) {
  PutResultObject* r = Allocate(put_result_type);
  if (r == nullptr) return nullptr;
  try {
    r->shard_id = Shared(from.shard_id, shard_);
    r->sequence_number = Shared(from.sequence_number, sequence_);
  } catch (const pybind11::error_already_set& e) {
    Py_DECREF(r);
    throw;
  }
  r->error_code = PyUnicode_FromString(from.error_code);
  r->error_message = PyUnicode_FromString(from.error_message);
  if (r->error_code == nullptr || r->error_message == nullptr) {
    Py_DECREF(r);
    return nullptr;
  }
  r->sub_sequence_number = from.sub_sequence_number;
  r->attempts = static_cast<int>(from.attempts);
  r->success = from.success != 0;
  r->aggregated = from.aggregated != 0;
  return reinterpret_cast<PyObject*>(r);
}

}  // namespace kinesis::python
