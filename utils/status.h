#pragma once
// Status: the result of an operation that can fail for a reason worth reporting
// (configuration, I/O, file formats). No exceptions cross layer boundaries.

#include <string>
#include <string_view>
#include <utility>

namespace duet {

class [[nodiscard]] Status {
 public:
  enum class Code { kOk, kInvalidArgument, kIoError, kCorruption, kNotSupported };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return {Code::kInvalidArgument, std::move(msg)};
  }
  static Status IoError(std::string msg) { return {Code::kIoError, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {Code::kCorruption, std::move(msg)}; }
  static Status NotSupported(std::string msg) { return {Code::kNotSupported, std::move(msg)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

}  // namespace duet
