package cn.emon.imports;

import cn.emon.ErrorCode;
import cn.emon.alerting.LaborCapacity;

/**
 * One member row of a household, as staged in {@code import_rows} until the household is
 * imported. When the row has a problem, {@code errorCode}/{@code errorMessage} hold its first one
 * and the values may be null.
 */
record StagedRow(int row, String householdId, String regionCode, boolean deepPoverty, String memberId,
    LaborCapacity capacity, boolean wantsTraining, ErrorCode errorCode, String errorMessage) {

  static StagedRow invalid(int row, String householdId, RowError error) {
    return new StagedRow(row, householdId, null, false, null, null, false, error.code(), error.message());
  }

  boolean valid() {
    return errorCode == null;
  }

  RowError error() {
    return new RowError(row, householdId, errorCode, errorMessage);
  }
}
