package dev.weft.node.train.torch;

import dev.weft.node.train.AdamWConfig;
import dev.weft.node.train.Batch;
import dev.weft.node.train.BatchSource;
import dev.weft.node.train.InnerResult;
import dev.weft.node.train.ModelSpec;
import dev.weft.node.train.OptimizerState;
import dev.weft.node.train.ParamLayout;
import dev.weft.node.train.TrainMetrics;
import dev.weft.node.train.Trainer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * A {@link Trainer} on LibTorch. All parameters live in ONE leaf tensor of {@code layout.size()}
 * elements; the model reads views of it, so gradients land in one flat gradient tensor, AdamW is
 * a handful of whole-vector ops, and moving θ in and out is one memory copy.
 *
 * <p>Native memory: temporaries of each step are released by a {@link PointerScope}; the four
 * long-lived tensors (θ, m, v, decay mask) are freed by {@link #close()}. Not thread-safe.
 */
public final class TorchTrainer implements Trainer {
  private final ModelSpec spec;
  private final ParamLayout layout;
  private final TorchModel model;
  private final AdamWConfig opt;
  private final torch.ScalarType dtype;
  private final Device device;
  private final int n;
  private final Tensor flat;
  private final Tensor m;
  private final Tensor v;
  private final Tensor decayMask;
  private long step;
  private boolean closed;

  /** A float32 trainer on the device {@link TorchRuntime#device()} picks, starting from {@code initial}. */
  public TorchTrainer(ModelSpec spec, AdamWConfig opt, float[] initial) {
    this(spec, opt, torch.ScalarType.Float, TorchRuntime.device());
    loadParameters(initial);
  }

  /** A trainer with zero parameters in the given precision (Double for gradient checks) and device. */
  public TorchTrainer(ModelSpec spec, AdamWConfig opt, torch.ScalarType dtype, Device device) {
    TorchRuntime.init();
    if (dtype != torch.ScalarType.Float && dtype != torch.ScalarType.Double) throw new IllegalArgumentException("dtype must be Float or Double");
    this.spec = spec;
    this.layout = spec.layout();
    this.model = TorchModel.of(spec);
    this.opt = opt;
    this.dtype = dtype;
    this.device = device;
    this.n = layout.size();
    TensorOptions options = options(dtype);
    flat = torch.zeros(new long[] {n}, options);
    flat.requires_grad_(true);
    m = torch.zeros(new long[] {n}, options);
    v = torch.zeros(new long[] {n}, options);
    float[] mask = new float[n];
    for (ParamLayout.Entry e : layout.entries()) if (e.decay()) java.util.Arrays.fill(mask, (int) e.offset(), (int) e.end(), 1f);
    decayMask = torch.zeros(new long[] {n}, options);
    write(decayMask, mask);
  }

  private TensorOptions options(torch.ScalarType type) {
    return new TensorOptions(type).device(new DeviceOptional(device));
  }

  public ModelSpec spec() {
    return spec;
  }

  @Override public ParamLayout layout() {
    return layout;
  }

  @Override public void loadParameters(float[] parameters) {
    checkOpen();
    checkVector(parameters, "parameters");
    write(flat, parameters);
  }

  /** Loads parameters in double precision (exact only for a Double trainer); for gradient checks. */
  public void loadParameters(double[] parameters) {
    checkOpen();
    if (parameters.length != n) throw new IllegalArgumentException("expected " + n + " parameters, got " + parameters.length);
    try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      Tensor host = torch.empty(new long[] {n}, new TensorOptions(torch.ScalarType.Double), new org.bytedeco.pytorch.MemoryFormatOptional());
      new DoublePointer(host.data_ptr()).capacity(n).put(parameters);
      flat.copy_(host);
    }
  }

  @Override public float[] parameters() {
    checkOpen();
    return read(flat);
  }

  public long step() {
    return step;
  }

  @Override public InnerResult train(BatchSource data, int steps) {
    checkOpen();
    if (steps < 0) throw new IllegalArgumentException("negative step count");
    double[] losses = new double[steps];
    long tokens = 0;
    long start = System.nanoTime(); // metrics only, never protocol logic
    for (int s = 0; s < steps; s++) {
      Batch batch = data.next();
      try (PointerScope scope = new PointerScope()) {
        Tensor loss = forward(batch);
        loss.backward();
        double value = loss.item_double();
        if (!Double.isFinite(value)) {
          zeroGrad();
          throw new IllegalStateException("non-finite training loss at step " + step + "; parameters left at the previous step");
        }
        update();
        losses[s] = value;
        tokens += batch.tokens();
      }
    }
    return new InnerResult(parameters(), new TrainMetrics(losses, tokens, System.nanoTime() - start, step));
  }

  /** Loss and gradient at the current parameters for one batch; changes nothing. */
  public LossAndGradient lossAndGradient(Batch batch) {
    checkOpen();
    try (PointerScope scope = new PointerScope()) {
      Tensor loss = forward(batch);
      loss.backward();
      double value = loss.item_double();
      Tensor g = flat.grad().to(torch.ScalarType.Double).contiguous();
      if (!device.is_cpu()) g = g.cpu();
      double[] grad = new double[n];
      new DoublePointer(g.data_ptr()).capacity(n).get(grad);
      zeroGrad();
      return new LossAndGradient(value, grad);
    }
  }

  /** GPT logits {@code [rows][context][256]} flattened, as float; for tests of the model itself. */
  float[] gptLogits(Batch batch) {
    if (!(model instanceof TorchGpt gpt)) throw new IllegalStateException("not a GPT");
    try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      Map<String, Tensor> views = new LinkedHashMap<>();
      for (ParamLayout.Entry e : layout.entries()) views.put(e.name(), flat.narrow(0, e.offset(), e.numel()).view(e.shape()));
      Tensor logits = gpt.logits(views, longTensor(batch.inputs(), batch.rows(), batch.context()))
          .to(new Device(torch.DeviceType.CPU, (byte) -1), torch.ScalarType.Float).contiguous();
      float[] out = new float[(int) logits.numel()];
      new FloatPointer(logits.data_ptr()).capacity(out.length).get(out);
      return out;
    }
  }

  /** A loss and its gradient in layout order. */
  public record LossAndGradient(double loss, double[] gradient) {}

  @Override public double evaluate(Iterable<Batch> batches) {
    checkOpen();
    double sum = 0;
    long count = 0;
    try (NoGradGuard g = new NoGradGuard()) {
      for (Batch b : batches) {
        try (PointerScope scope = new PointerScope()) {
          sum += forward(b).item_double() * b.tokens();
          count += b.tokens();
        }
      }
    }
    if (count == 0) throw new IllegalArgumentException("no evaluation batches");
    return sum / count;
  }

  @Override public OptimizerState optimizerState() {
    checkOpen();
    return new OptimizerState(step, read(m), read(v));
  }

  @Override public void loadOptimizerState(OptimizerState state) {
    checkOpen();
    checkVector(state.firstMoment(), "first moment");
    checkVector(state.secondMoment(), "second moment");
    for (float x : state.secondMoment()) if (x < 0) throw new IllegalArgumentException("negative second moment");
    write(m, state.firstMoment());
    write(v, state.secondMoment());
    step = state.step();
  }

  private Tensor forward(Batch batch) {
    Map<String, Tensor> views = new LinkedHashMap<>();
    for (ParamLayout.Entry e : layout.entries()) views.put(e.name(), flat.narrow(0, e.offset(), e.numel()).view(e.shape()));
    return model.loss(views, longTensor(batch.inputs(), batch.rows(), batch.context()), longTensor(batch.targets(), batch.rows(), batch.context()));
  }

  private Tensor longTensor(int[] values, int rows, int cols) {
    Tensor host = torch.empty(new long[] {rows, cols}, new TensorOptions(torch.ScalarType.Long), new org.bytedeco.pytorch.MemoryFormatOptional());
    long[] wide = new long[values.length];
    for (int i = 0; i < values.length; i++) wide[i] = values[i];
    new LongPointer(host.data_ptr()).capacity(wide.length).put(wide);
    return device.is_cpu() ? host : host.to(device, torch.ScalarType.Long);
  }

  /** One AdamW step on the flat vector, with global-norm clipping first. */
  private void update() {
    double lr = opt.schedule().at(step);
    step++;
    try (NoGradGuard g = new NoGradGuard()) {
      Tensor grad = flat.grad();
      if (opt.clipNorm() > 0) {
        double norm = grad.norm().item_double();
        if (norm > opt.clipNorm()) grad.mul_(new Scalar(opt.clipNorm() / norm));
      }
      double b1 = opt.beta1(), b2 = opt.beta2();
      m.mul_(new Scalar(b1)).add_(grad, new Scalar(1 - b1));
      v.mul_(new Scalar(b2)).addcmul_(grad, grad, new Scalar(1 - b2));
      if (opt.weightDecay() > 0) flat.addcmul_(flat, decayMask, new Scalar(-lr * opt.weightDecay()));
      double bc1 = 1 - Math.pow(b1, step), bc2 = 1 - Math.pow(b2, step);
      Tensor denom = v.sqrt().div(new Scalar(Math.sqrt(bc2))).add(new Scalar(opt.eps()));
      flat.addcdiv_(m, denom, new Scalar(-lr / bc1));
      grad.zero_();
    }
  }

  private void zeroGrad() {
    Tensor g = flat.grad();
    if (g.defined()) {
      try (NoGradGuard guard = new NoGradGuard()) {
        g.zero_();
      }
    }
  }

  private void checkVector(float[] values, String what) {
    if (values.length != n) throw new IllegalArgumentException("expected " + n + " " + what + ", got " + values.length);
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) throw new IllegalArgumentException(what + " not finite at index " + i);
    }
  }

  /** Copies {@code values} into a 1-D tensor: straight into its memory on CPU float32. */
  private void write(Tensor target, float[] values) {
    try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      if (device.is_cpu() && dtype == torch.ScalarType.Float) {
        new FloatPointer(target.data_ptr()).capacity(n).put(values);
      } else {
        Tensor host = torch.empty(new long[] {n}, new TensorOptions(torch.ScalarType.Float), new org.bytedeco.pytorch.MemoryFormatOptional());
        new FloatPointer(host.data_ptr()).capacity(n).put(values);
        target.copy_(host);
      }
    }
  }

  private float[] read(Tensor source) {
    float[] out = new float[n];
    try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
      Tensor t = source.detach();
      if (!(device.is_cpu() && dtype == torch.ScalarType.Float)) t = t.to(new Device(torch.DeviceType.CPU, (byte) -1), torch.ScalarType.Float).contiguous();
      new FloatPointer(t.data_ptr()).capacity(n).get(out);
    }
    return out;
  }

  private void checkOpen() {
    if (closed) throw new IllegalStateException("trainer closed");
  }

  @Override public void close() {
    if (closed) return;
    closed = true;
    flat.close();
    m.close();
    v.close();
    decayMask.close();
  }
}
