package cn.emon.alerting;

/** A condition that holds now, with the severity and summary an alert raised for it carries. */
public record Finding(AlertKey key, Severity severity, String summary) {}
