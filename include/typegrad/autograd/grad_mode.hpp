#pragma once
/// \file autograd/grad_mode.hpp
/// Thread-local switches of the engine, as torch's: grad mode (NoGradGuard, AutoGradMode),
/// inference mode (InferenceMode) and anomaly mode (DetectAnomalyGuard). Each guard restores
/// the previous state when it goes out of scope, so they nest; other threads are unaffected.
///
///     { tg::NoGradGuard g;  auto y = x * 2; }          // y.requires_grad() == false
///     { tg::InferenceMode im; auto z = x * 2; }        // z.is_inference() == true
#include <iostream>

namespace typegrad {

namespace detail {
struct thread_modes {
  bool grad_enabled = true;
  bool inference = false;
  bool anomaly = false;
  bool anomaly_check_nan = true;
};
inline thread_modes& modes() noexcept {
  thread_local thread_modes m;
  return m;
}
}  // namespace detail

/// Is grad mode on in this thread? (operations record a graph only then)
struct GradMode {
  static bool is_enabled() noexcept { return detail::modes().grad_enabled; }
  static void set_enabled(bool enabled) noexcept { detail::modes().grad_enabled = enabled; }
};

/// Sets grad mode for its scope (torch.set_grad_enabled as a guard).
class AutoGradMode {
 public:
  explicit AutoGradMode(bool enabled) noexcept : previous_(GradMode::is_enabled()) { GradMode::set_enabled(enabled); }
  ~AutoGradMode() { GradMode::set_enabled(previous_); }
  AutoGradMode(const AutoGradMode&) = delete;
  AutoGradMode& operator=(const AutoGradMode&) = delete;

 private:
  bool previous_;
};

/// torch.no_grad(): results of operations do not require grad and have no grad_fn.
struct NoGradGuard : AutoGradMode {
  NoGradGuard() noexcept : AutoGradMode(false) {}
};
/// torch.enable_grad().
struct EnableGradGuard : AutoGradMode {
  EnableGradGuard() noexcept : AutoGradMode(true) {}
};

/// torch.inference_mode(): no graph is recorded and new tensors are inference tensors (no
/// version counter, cannot be saved for backward or modified in place outside the mode).
class InferenceMode {
 public:
  explicit InferenceMode(bool enabled = true) noexcept
      : previous_inference_(detail::modes().inference), previous_grad_(GradMode::is_enabled()) {
    detail::modes().inference = enabled;
    if (enabled) GradMode::set_enabled(false);
  }
  ~InferenceMode() {
    detail::modes().inference = previous_inference_;
    GradMode::set_enabled(previous_grad_);
  }
  InferenceMode(const InferenceMode&) = delete;
  InferenceMode& operator=(const InferenceMode&) = delete;
  static bool is_enabled() noexcept { return detail::modes().inference; }

 private:
  bool previous_inference_;
  bool previous_grad_;
};

namespace autograd {

/// Anomaly detection (torch.autograd.set_detect_anomaly): a failing backward names the node
/// that failed, and with `check_nan` a node returning NaN raises.
struct AnomalyMode {
  static bool is_enabled() noexcept { return ::typegrad::detail::modes().anomaly; }
  static bool should_check_nan() noexcept { return ::typegrad::detail::modes().anomaly_check_nan; }
  static void set_enabled(bool enabled, bool check_nan = true) {
    if (enabled && !::typegrad::detail::modes().anomaly) {
      std::cerr << "Warning: Anomaly Detection has been enabled. This mode will increase the runtime and should "
                   "only be enabled for debugging.\n";
    }
    ::typegrad::detail::modes().anomaly = enabled;
    ::typegrad::detail::modes().anomaly_check_nan = check_nan;
  }
};

/// torch.autograd.detect_anomaly(check_nan) as a guard.
class DetectAnomalyGuard {
 public:
  explicit DetectAnomalyGuard(bool check_nan = true)
      : previous_(AnomalyMode::is_enabled()), previous_check_nan_(AnomalyMode::should_check_nan()) {
    AnomalyMode::set_enabled(true, check_nan);
  }
  ~DetectAnomalyGuard() {
    ::typegrad::detail::modes().anomaly = previous_;
    ::typegrad::detail::modes().anomaly_check_nan = previous_check_nan_;
  }
  DetectAnomalyGuard(const DetectAnomalyGuard&) = delete;
  DetectAnomalyGuard& operator=(const DetectAnomalyGuard&) = delete;

 private:
  bool previous_;
  bool previous_check_nan_;
};

}  // namespace autograd

/// torch.is_grad_enabled(), torch.is_inference_mode_enabled(), torch.is_anomaly_enabled().
inline bool is_grad_enabled() noexcept { return GradMode::is_enabled(); }
inline bool is_inference_mode_enabled() noexcept { return InferenceMode::is_enabled(); }
inline bool is_anomaly_enabled() noexcept { return autograd::AnomalyMode::is_enabled(); }

}  // namespace typegrad
