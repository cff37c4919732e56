package cn.emon.household;

import java.time.LocalDate;

/** One training programme of one member. */
public record Training(String memberId, String programId, LocalDate startDate, LocalDate endDate,
    Boolean certified) {}
