// PutResult: the result of one record in Python (kinesis_producer.PutResult), a C type with
// read-only fields. Made by the completion path for every record, so it is cheap: one allocation,
// the integers kept as C values (made into Python ints when read), and no garbage-collector
// tracking (its fields are str, int and bool: it cannot be part of a cycle).
//
// Thread safety: with the GIL held, as any Python object.
#ifndef KINESIS_PYTHON_PUT_RESULT_H_
#define KINESIS_PYTHON_PUT_RESULT_H_

#include <pybind11/pybind11.h>

#include <string>

#include "kinesis/c/producer.h"

namespace kinesis::python {

// The type, made once by the module (PyType_FromSpec): a new reference.
PyObject* MakePutResultType();

// Makes the PutResults of many results, reusing the str of the previous shard id and sequence
// number when they repeat: the records of one aggregate share both.
class PutResultMaker {
 public:
  // A new PutResult, or nullptr with a Python error set.
  PyObject* Make(const kinesis_result& r);

 private:
  struct Last {
    std::string text;
    pybind11::object str;
  };
  static PyObject* Shared(const char* text, Last& last);

  Last shard_;
  Last sequence_;
};

}  // namespace kinesis::python

#endif  // KINESIS_PYTHON_PUT_RESULT_H_
