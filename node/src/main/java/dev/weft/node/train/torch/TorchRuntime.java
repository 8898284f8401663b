package dev.weft.node.train.torch;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;

/**
 * Process-wide LibTorch settings. LibTorch's intra-op thread pool is global, so the thread count
 * is set once here, not per trainer.
 *
 * <p>Threads: LibTorch's default here was 1. With OpenMP's active waiting, 2 threads once made a
 * small GPT step ~50× slower on 2 shared cores; the {@code ./weft} launcher exports
 * {@code OMP_WAIT_POLICY=passive} (ML-NOTES). {@code WEFT_TORCH_THREADS} overrides the count.
 */
public final class TorchRuntime {
  /** Environment variable naming the intra-op thread count. */
  public static final String THREADS_ENV = "WEFT_TORCH_THREADS";
  /** Environment variable choosing the device: {@code cpu} (default) or {@code cuda}. */
  public static final String DEVICE_ENV = "WEFT_DEVICE";

  private static volatile boolean initialised;

  private TorchRuntime() {}

  /** Loads the native library and applies the thread count; idempotent and thread-safe. */
  public static synchronized void init() {
    if (initialised) return;
    String env = System.getenv(THREADS_ENV);
    int threads;
    try {
      threads = env != null ? Integer.parseInt(env.trim()) : Math.min(2, Runtime.getRuntime().availableProcessors());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(THREADS_ENV + " must be an integer, got '" + env + "'");
    }
    setThreads(threads);
    initialised = true;
  }

  public static synchronized void setThreads(int threads) {
    if (threads < 1 || threads > 1024) throw new IllegalArgumentException("threads must be 1..1024");
    torch.set_num_threads(threads);
  }

  public static int threads() {
    init();
    return torch.get_num_threads();
  }

  /** Whether a CUDA device is usable (only with the {@code -gpu} native artifacts). */
  public static boolean cudaAvailable() {
    init();
    try {
      return torch.cuda_is_available();
    } catch (Throwable t) { // the CPU build may lack the symbol entirely
      return false;
    }
  }

  /** The device trainers use: CUDA when {@code WEFT_DEVICE=cuda} and available, else CPU. */
  public static Device device() {
    init();
    String want = System.getenv(DEVICE_ENV);
    if ("cuda".equalsIgnoreCase(want)) {
      if (!cudaAvailable()) throw new IllegalStateException(DEVICE_ENV + "=cuda but no CUDA device (build with -Pgpu)");
      return new Device(torch.DeviceType.CUDA, (byte) 0);
    }
    return new Device(torch.DeviceType.CPU, (byte) -1);
  }
}
