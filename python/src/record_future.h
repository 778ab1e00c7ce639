// The package's _RecordFuture (kinesis_producer/__init__.py), a concurrent.futures.Future with
// __slots__, made and finished from C++ by writing its slots: no Python code runs, so each of
// these calls is atomic under the GIL, and the Python methods that must not interleave with a
// finish (adding a callback, making the condition variable) call AddCallback and
// AttachCondition, which are atomic the same way. That replaces a lock per future or per batch.
//
// A future's slots: _state (RUNNING or FINISHED), _result, _exception, _cv (None until a thread
// waits on it: then Future.set_result must finish it, under that condition), _waiter_list and
// _callbacks (None, or the callbacks added before it finished).
//
// Thread safety: with the GIL held; relies on the GIL (not for free-threaded Python).
#ifndef KINESIS_PYTHON_RECORD_FUTURE_H_
#define KINESIS_PYTHON_RECORD_FUTURE_H_

#include <pybind11/pybind11.h>

namespace kinesis::python {

class RecordFuture {
 public:
  // Binds the class (its slot offsets) and its RUNNING and FINISHED state constants; once, by
  // the package. Raises TypeError when `cls` lacks a slot.
  static void Bind(pybind11::handle cls, pybind11::handle running, pybind11::handle finished);

  // A new future: RUNNING, no condition, no callbacks. New reference, or nullptr with a Python
  // error set.
  static PyObject* New();

  // How Finish left the future.
  enum class Finish {
    kDone,          // finished, nothing else to do
    kRunCallbacks,  // finished; the caller runs the callbacks of its _callbacks, in order
    kWaitedOn,      // not finished: a thread waits on it, the caller uses Future.set_result
  };
  // Finishes `future` with `value` or `error` (one of them None) unless a thread waits on it.
  static Finish TryFinish(PyObject* future, PyObject* value, PyObject* error);

  // Appends `fn` to the callbacks of a future nobody waits on and that is not finished (its
  // list becomes `new_list` if it has none); false, changing nothing, otherwise.
  static bool AddCallback(pybind11::handle future, pybind11::handle fn, pybind11::handle new_list);

  // Sets the condition `cv`, the waiter list and the callback list (`callbacks` if it has
  // none) of a future that has no condition yet; returns its condition.
  static pybind11::object AttachCondition(pybind11::handle future, pybind11::handle cv,
                                          pybind11::handle waiters, pybind11::handle callbacks);
};

}  // namespace kinesis::python

#endif  // KINESIS_PYTHON_RECORD_FUTURE_H_
