package org.synergen.eval.run;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.synergen.spark.JobSession;
import scala.Tuple2;

/**
 * The prompts spread over Spark executors: small tasks of {@link #PER_TASK} inputs, each executor
 * JVM opening the model once ({@link GeneratorSpec#shared}). The driver prints progress from an
 * accumulator as tasks finish.
 */
final class SparkRunner implements PromptRunner {
  static final int PER_TASK = 8;

  private final JobSession session;
  private final GeneratorSpec spec;

  SparkRunner(String master, GeneratorSpec spec) {
    this.session = JobSession.open(new SparkConf().setAppName("synergen eval run").setIfMissing("spark.master", master));
    this.spec = spec;
  }

  @Override
  public <I extends Serializable, O extends Serializable> List<O> map(List<I> inputs, Work<I, O> work, Progress progress) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.spark().sparkContext());
    LongAccumulator done = sc.sc().longAccumulator("eval run inputs done");
    List<Tuple2<Integer, I>> indexed = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      indexed.add(new Tuple2<>(i, inputs.get(i)));
    }
    int partitions = Math.max(1, (inputs.size() + PER_TASK - 1) / PER_TASK);
    GeneratorSpec model = spec;
    JavaFutureAction<List<Tuple2<Integer, O>>> job = sc.parallelize(indexed, partitions)
        .mapPartitions((Iterator<Tuple2<Integer, I>> it) -> {
          List<Tuple2<Integer, O>> out = new ArrayList<>();
          while (it.hasNext()) {
            Tuple2<Integer, I> in = it.next();
            out.add(new Tuple2<>(in._1(), work.apply(model.shared(), in._2())));
            done.add(1);
          }
          return out.iterator();
        })
        .collectAsync();
    List<Tuple2<Integer, O>> results;
    try {
      while (true) {
        try {
          results = job.get(2, TimeUnit.SECONDS);
          break;
        } catch (TimeoutException e) {
          progress.update(done.value());
        }
      }
    } catch (InterruptedException e) {
      job.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
    progress.update(inputs.size());
    List<O> out = new ArrayList<>(java.util.Collections.nCopies(inputs.size(), null));
    for (Tuple2<Integer, O> r : results) {
      out.set(r._1(), r._2());
    }
    return out;
  }

  /** A task's own error (bad input data, a model that is not there) rather than Spark's wrapper. */
  private static RuntimeException unwrap(ExecutionException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof org.synergen.eval.data.EvalInputException || t instanceof UnsupportedOperationException) {
        return (RuntimeException) t;
      }
    }
    return new IllegalStateException("the Spark job failed: " + e.getCause(), e.getCause());
  }

  @Override
  public void close() {
    session.close();
  }
}
