#pragma once
/// \file error.hpp
/// tg::Error: the one exception type of typegrad (derived from std::runtime_error).
#include <stdexcept>
#include <string>

namespace typegrad {

/// Thrown on bad input at run time; `what()` carries the message (torch's text where torch has one).
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace typegrad
