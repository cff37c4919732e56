package cn.emon.imports;

import cn.emon.ErrorCode;

/** The file cannot be imported as a whole: unreadable, of the wrong format, or a header without a required column. */
final class RegisterFileException extends Exception {

  private final ErrorCode code;

  RegisterFileException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  ErrorCode code() {
    return code;
  }
}
