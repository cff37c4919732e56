package cn.emon.alerting;

/** Why a placement ended. */
public enum EndReason {
  CONTRACT_ENDED,
  DISMISSED,
  QUIT,
  SEASONAL,
  OTHER
}
