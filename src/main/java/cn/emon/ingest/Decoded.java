package cn.emon.ingest;

import cn.emon.ErrorCode;
import cn.emon.household.Household.DomainEvent;

/**
 * One event of a request after validation: either a domain event to record or the reason it was
 * rejected. {@code id} is the CloudEvent id when one could be read.
 */
public record Decoded(String id, String type, DomainEvent event, ErrorCode code, String error) {

  static Decoded ok(DomainEvent event) {
    return new Decoded(event.meta().id(), event.meta().type(), event, null, null);
  }

  static Decoded rejected(String id, String type, ErrorCode code, String error) {
    return new Decoded(id, type, null, code, error);
  }

  public boolean isValid() {
    return event != null;
  }
}
