package cn.emon.db.journal;

import com.typesafe.config.Config;
import org.apache.pekko.persistence.japi.journal.JavaJournalSpec;

/**
 * Pekko's journal plugin TCK ({@code JournalSpec}: replay bounds and limits, deletion, highest
 * sequence numbers, atomic writes, rejection of what cannot be serialized) against the journal as
 * configured here, with our DAO. Run by {@link JournalTckTest}.
 */
public final class JournalSpecSuite extends JavaJournalSpec {

  public JournalSpecSuite(Config config) {
    super(config);
  }
}
