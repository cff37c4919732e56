package cn.emon.http;

/** Parsing of query parameters shared by the read endpoints; errors name the parameter. */
public final class QueryParams {

  private QueryParams() {}

  /** A page size: {@code defaultValue} when absent, else a whole number from 1 to {@code max}. */
  public static int limit(String param, int defaultValue, int max) {
    if (param == null) {
      return defaultValue;
    }
    int limit;
    try {
      limit = Integer.parseInt(param);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > max) {
      throw ApiException.invalidParameter("limit: must be a whole number from 1 to " + max);
    }
    return limit;
  }
}
