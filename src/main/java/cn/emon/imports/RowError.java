package cn.emon.imports;

import cn.emon.ErrorCode;

/**
 * A problem of one row of an import: its row number as a spreadsheet shows it, the household it
 * belongs to (null when the row names none), a stable code and a message naming the column.
 */
record RowError(int row, String householdId, ErrorCode code, String message) {}
