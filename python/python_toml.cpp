#include "python_toml.hpp"

#include "numerics/input_error.hpp"

#include <cstdio>

namespace py = pybind11;

namespace diffbound::python {

namespace {

// A TOML basic string: quotes, backslashes and control characters escaped.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else out += static_cast<char>(c);
  }
  return out + "\"";
}

std::string value_text(const py::handle& v, const std::string& field);

std::string float_text(const py::handle& v) { return py::repr(py::float_(py::reinterpret_borrow<py::object>(v))).cast<std::string>(); }

// Inline tables and arrays only: the whole case is one line per section, valid TOML at any depth.
std::string table_text(const py::dict& d, const std::string& prefix) {
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : d) {
    if (!py::isinstance<py::str>(k))
      throw InputError(prefix.empty() ? "case" : prefix, py::repr(k).cast<std::string>(), "a key must be a str");
    const std::string key = k.cast<std::string>();
    out += (first ? " " : ", ") + quoted(key) + " = " + value_text(v, prefix.empty() ? key : prefix + "." + key);
    first = false;
  }
  return out + (first ? "}" : " }");
}

std::string value_text(const py::handle& v, const std::string& field) {
  const py::object decimal = py::module_::import("decimal").attr("Decimal");  // not static: it would outlive the interpreter
  if (py::isinstance<py::bool_>(v)) return v.cast<bool>() ? "true" : "false";  // before int: bool is an int
  if (py::isinstance<py::int_>(v)) return py::str(v).cast<std::string>();
  // repr of the float itself (not of a subclass such as numpy.float64): "0.1", "1e-05", "inf", "nan", all TOML
  if (py::isinstance<py::float_>(v)) return float_text(v);
  if (py::isinstance(v, decimal)) {
    const std::string text = py::str(v).cast<std::string>();
    if (text == "Infinity" || text == "-Infinity") return text == "Infinity" ? "inf" : "-inf";
    if (text == "NaN" || text == "sNaN") return "nan";
    return text;  // "0.1", "1E-7": TOML reads both (an exponent may be upper case)
  }
  if (py::isinstance<py::str>(v)) return quoted(v.cast<std::string>());
  if (py::isinstance<py::dict>(v)) return table_text(py::reinterpret_borrow<py::dict>(v), field);
  if (py::isinstance<py::list>(v) || py::isinstance<py::tuple>(v)) {
    std::string out = "[";
    std::size_t i = 0;
    for (const auto& e : v) {
      if (i) out += ", ";
      out += value_text(e, field + "[" + std::to_string(i++) + "]");
    }
    return out + "]";
  }
  if (py::hasattr(v, "__index__")) return py::str(py::module_::import("operator").attr("index")(v)).cast<std::string>();  // numpy integers
  if (py::hasattr(v, "__float__") && !py::hasattr(v, "__len__")) return float_text(v);  // numpy.float32 and the like
  throw InputError(field, py::repr(v).cast<std::string>(),
                   "cannot be written in a case (expected a bool, int, float, decimal.Decimal, str, list or dict)");
}

}  // namespace

std::string toml_text_of(const py::dict& table) {
  std::string out;
  for (const auto& [k, v] : table) {
    if (!py::isinstance<py::str>(k)) throw InputError("case", py::repr(k).cast<std::string>(), "a key must be a str");
    const std::string key = k.cast<std::string>();
    out += quoted(key) + " = " + value_text(v, key) + "\n";
  }
  return out;
}

}  // namespace diffbound::python
