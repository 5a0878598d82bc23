#include "server/commands/reply_util.h"

namespace duet {

void ReplyOpError(ReplyBuilder& rb, OpStatus status) {
  switch (status) {
    case OpStatus::kWrongType:
      return rb.Error(errors::kWrongType);
    case OpStatus::kNotAnInteger:
      return rb.Error(errors::kNotInteger);
    case OpStatus::kNotAFloat:
      return rb.Error(errors::kNotFloat);
    case OpStatus::kOverflow:
      return rb.Error(errors::kOverflow);
    case OpStatus::kOutOfRange:
      return rb.Error(errors::kOutOfRange);
    case OpStatus::kTooBig:
      return rb.Error(errors::kStringTooLong);
    case OpStatus::kSyntaxError:
      return rb.Error(errors::kSyntax);
    case OpStatus::kNanOrInfinity:
      return rb.Error(errors::kIncrNanOrInf);
    case OpStatus::kKeyNotFound:
      return rb.Error(errors::kNoSuchKey);
    case OpStatus::kOk:
    case OpStatus::kSkipped:
      break;
  }
  rb.Error("ERR internal error: unexpected status");
}

std::string InvalidExpireError(std::string_view command_name) {
  return "ERR invalid expire time in '" + std::string(command_name) + "' command";
}

}  // namespace duet
