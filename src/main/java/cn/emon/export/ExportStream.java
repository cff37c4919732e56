package cn.emon.export;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamConverters;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A response body written by blocking code (JDBC rows into a {@link TableWriter}) on its own
 * thread, as the client reads it: each write waits while the client is behind, so memory holds a
 * few chunks whatever the size of the file. The writer starts only when the body is materialized,
 * so a response that is never sent opens nothing; a writer that fails fails the body, and the
 * client sees an aborted download instead of a file that looks complete.
 */
final class ExportStream {

  private static final Logger log = LoggerFactory.getLogger(ExportStream.class);

  /** Writes the whole body to {@code out}. */
  @FunctionalInterface
  interface Body {
    void writeTo(OutputStream out) throws Exception;
  }

  private ExportStream() {}

  static Source<ByteString, NotUsed> of(Body body, Executor executor, Duration writeTimeout, String what) {
    CompletableFuture<ByteString> written = new CompletableFuture<>();
    Source<ByteString, NotUsed> data = StreamConverters.asOutputStream(writeTimeout).mapMaterializedValue(out -> {
      executor.execute(() -> {
        try {
          body.writeTo(out);
          written.complete(ByteString.emptyByteString());
        } catch (Throwable t) {
          // Failed before the output closes, so the concatenated check below sees it.
          written.completeExceptionally(t);
          if (!(t instanceof IOException)) {
            // The message may carry values from the database: log the type only.
            log.warn("Export of {} failed with {}", what, t.getClass().getName());
          }
        } finally {
          closeQuietly(out);
        }
      });
      return NotUsed.notUsed();
    });
    // Completes the body only once the writer finished without error.
    return data.concat(Source.completionStage(written).filter(ByteString::nonEmpty));
  }

  private static void closeQuietly(OutputStream out) {
    try {
      out.close();
    } catch (IOException e) {
      // The client went away; nothing is left to tell.
    }
  }
}
