package cn.emon.alerting;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alert rules of the contract, as pure functions of a household's facts and an instant.
 *
 * <p>Every deadline fires at its instant: a condition "longer than d" holds from {@code start + d}
 * on, so {@link Evaluation#nextDue()} is always strictly after the instant evaluated and a scan that
 * wakes a household at its due time always makes progress.
 */
public final class AlertRules {

  private final RuleSettings settings;

  public AlertRules(RuleSettings settings) {
    this.settings = settings;
  }

  public RuleSettings settings() {
    return settings;
  }

  /**
   * Evaluates all rules.
   *
   * @param openSince when each currently open alert was raised; NO_HELPER counts from the
   *     ZERO_EMPLOYMENT alert's raise time
   */
  public Evaluation evaluate(HouseholdFacts facts, Map<AlertKey, Instant> openSince, Instant now) {
    Due due = new Due(now);
    List<Finding> findings = new ArrayList<>();
    if (facts.closed() || facts.regionCode() == null) {
      return new Evaluation(List.of(), Optional.empty());
    }
    Map<String, PlacementStatus> statuses = new java.util.HashMap<>();
    for (Placement p : facts.placements().values()) {
      statuses.put(p.placementId(), status(p, now, due));
    }

    long labourCapable = facts.members().values().stream()
        .filter(m -> m.laborCapacity().isLabourCapable()).count();
    boolean anyEmployed = !employment(facts, statuses).isEmpty();

    // ZERO_EMPLOYMENT and the NO_HELPER that hangs off it.
    if (labourCapable > 0 && !anyEmployed) {
      AlertKey zeroKey = AlertKey.household(AlertType.ZERO_EMPLOYMENT);
      findings.add(new Finding(zeroKey,
          facts.deepPovertyArea() ? Severity.CRITICAL : Severity.HIGH,
          Summaries.zeroEmployment(labourCapable)));
      if (!facts.helperAssigned()) {
        Instant since = openSince.getOrDefault(zeroKey, now);
        Instant helperDue = since.plus(settings.helperDeadline());
        if (!now.isBefore(helperDue)) {
          findings.add(new Finding(AlertKey.household(AlertType.NO_HELPER), Severity.WARNING,
              Summaries.noHelper(settings.helperDeadline())));
        } else {
          due.offer(helperDue);
        }
      }
    }

    // PLACEMENT_LAPSED: per member, the latest lapse while the member holds no active placement.
    for (Member m : facts.members().values()) {
      boolean employed = false;
      Placement latestLapse = null;
      LocalDate latestLapseDate = null;
      for (Placement p : facts.placements().values()) {
        if (!p.memberId().equals(m.memberId())) {
          continue;
        }
        PlacementStatus s = statuses.get(p.placementId());
        if (s == PlacementStatus.ACTIVE) {
          employed = true;
        } else if (s.isLapsed()) {
          LocalDate lapsedOn = lapseDate(p, s);
          if (latestLapse == null || lapsedOn.isAfter(latestLapseDate)
              || (lapsedOn.equals(latestLapseDate)
                  && p.placementId().compareTo(latestLapse.placementId()) > 0)) {
            latestLapse = p;
            latestLapseDate = lapsedOn;
          }
        }
      }
      if (!employed && latestLapse != null) {
        findings.add(new Finding(
            new AlertKey(AlertType.PLACEMENT_LAPSED, m.memberId(), latestLapse.placementId()),
            Severity.HIGH,
            Summaries.placementLapsed(m.memberId(), latestLapse.placementId(),
                statuses.get(latestLapse.placementId()), settings.verificationInterval())));
      }
    }

    // TRAINING_PENDING: wants training, no enrolment since the wish, for trainingDeadline.
    for (Member m : facts.members().values()) {
      if (!m.wantsTraining() || m.wantsTrainingSince() == null) {
        continue;
      }
      LocalDate wishDate = localDate(m.wantsTrainingSince());
      boolean enrolledSince = m.lastEnrolledOn() != null && !m.lastEnrolledOn().isBefore(wishDate);
      if (enrolledSince) {
        continue;
      }
      Instant trainingDue = m.wantsTrainingSince().plus(settings.trainingDeadline());
      if (!now.isBefore(trainingDue)) {
        findings.add(new Finding(
            new AlertKey(AlertType.TRAINING_PENDING, m.memberId(), null), Severity.WARNING,
            Summaries.trainingPending(m.memberId(), settings.trainingDeadline())));
      } else {
        due.offer(trainingDue);
      }
    }

    findings.sort(Comparator.comparing(Finding::key, AlertKey.ORDER));
    return new Evaluation(List.copyOf(findings), due.earliest());
  }

  /**
   * Who is employed at {@code now} (CONTRACT §4: a member holding a placement that has started and
   * not ended, nor lapsed): each current member with an active placement, mapped to the one it counts
   * as — the earliest-started by year, then the lowest placement id. The one definition the rules,
   * the statistics and the household view use.
   */
  public Map<String, Placement> employment(HouseholdFacts facts, Instant now) {
    Map<String, PlacementStatus> statuses = new java.util.HashMap<>();
    for (Placement p : facts.placements().values()) {
      statuses.put(p.placementId(), status(p, now));
    }
    return employment(facts, statuses);
  }

  private static Map<String, Placement> employment(HouseholdFacts facts, Map<String, PlacementStatus> statuses) {
    Map<String, Placement> employed = new java.util.TreeMap<>();
    for (Placement p : facts.placements().values()) {
      if (facts.members().containsKey(p.memberId()) && statuses.get(p.placementId()) == PlacementStatus.ACTIVE) {
        Placement current = employed.get(p.memberId());
        if (current == null || p.startDate().getYear() < current.startDate().getYear()
            || (p.startDate().getYear() == current.startDate().getYear()
                && p.placementId().compareTo(current.placementId()) < 0)) {
          employed.put(p.memberId(), p);
        }
      }
    }
    return employed;
  }

  /** The status of one placement at {@code now}, without collecting due times. */
  public PlacementStatus status(Placement p, Instant now) {
    return status(p, now, new Due(now));
  }

  /**
   * When {@code p} becomes {@link PlacementStatus#UNVERIFIED} unless a verification comes first:
   * the start of the day {@code verification-interval} after its start or latest verification.
   */
  public Instant verificationDue(Placement p) {
    LocalDate reference = p.lastVerifiedOn() != null && p.lastVerifiedOn().isAfter(p.startDate())
        ? p.lastVerifiedOn() : p.startDate();
    return startOf(reference).plus(settings.verificationInterval());
  }

  private PlacementStatus status(Placement p, Instant now, Due due) {
    LocalDate today = localDate(now);
    if (p.endDate() != null && !p.endDate().isAfter(today)) {
      return PlacementStatus.ENDED;
    }
    if (p.startDate().isAfter(today)) {
      due.offer(startOf(p.startDate()));
      return PlacementStatus.PENDING;
    }
    if (p.endDate() != null) {
      due.offer(startOf(p.endDate()));
    }
    boolean verifiedAfterExpectedEnd = p.expectedEndDate() != null && p.lastVerifiedOn() != null
        && !p.lastVerifiedOn().isBefore(p.expectedEndDate());
    if (p.expectedEndDate() != null && !verifiedAfterExpectedEnd) {
      // "passed": the day after the expected end date has begun.
      Instant expiry = startOf(p.expectedEndDate().plusDays(1));
      if (!now.isBefore(expiry)) {
        return PlacementStatus.EXPIRED;
      }
      due.offer(expiry);
    }
    Instant unverifiedAt = verificationDue(p);
    if (!now.isBefore(unverifiedAt)) {
      return PlacementStatus.UNVERIFIED;
    }
    due.offer(unverifiedAt);
    return PlacementStatus.ACTIVE;
  }

  private LocalDate lapseDate(Placement p, PlacementStatus s) {
    return switch (s) {
      case ENDED -> p.endDate();
      case EXPIRED -> p.expectedEndDate().plusDays(1);
      case UNVERIFIED -> localDate(startOf(p.lastVerifiedOn() != null
          && p.lastVerifiedOn().isAfter(p.startDate()) ? p.lastVerifiedOn() : p.startDate())
          .plus(settings.verificationInterval()));
      default -> throw new IllegalArgumentException("not lapsed: " + s);
    };
  }

  private LocalDate localDate(Instant instant) {
    return instant.atZone(settings.zone()).toLocalDate();
  }

  private Instant startOf(LocalDate date) {
    return date.atStartOfDay(settings.zone()).toInstant();
  }

  /** Collects the earliest instant strictly after now at which something changes. */
  private static final class Due {
    private final Instant now;
    private Instant earliest;

    Due(Instant now) {
      this.now = now;
    }

    void offer(Instant candidate) {
      if (candidate.isAfter(now) && (earliest == null || candidate.isBefore(earliest))) {
        earliest = candidate;
      }
    }

    Optional<Instant> earliest() {
      return Optional.ofNullable(earliest);
    }
  }
}
