package dev.weft.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.p2p.host.HostBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's chromium and chromedriver, installed by .ci/run):
 * the page loads, the loss plot has a point per reported round, the contribution's fate and
 * reason are shown, the connected peer is listed; a screenshot goes to
 * {@code node/target/dashboard.png}.
 */
class DashboardBrowserIT {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @Test
  void pageShowsLossPlotContributionAndPeers() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run does)");
    HostBuilder.Built a = DashboardServerTest.host(11);
    HostBuilder.Built b = DashboardServerTest.host(12);
    TrainingStatus training = new TrainingStatus();
    DashboardServer server = null;
    ChromeDriver driver = null;
    try {
      b.host().dial(a.host().listenAddresses().get(0).withPeerId(a.host().peerId())).get(10, TimeUnit.SECONDS);
      NodeStatus status = new NodeStatus(a.host(), training);
      server = DashboardServer.start(new DashboardConfig("127.0.0.1", 0, 200), status, new NodeMetrics(status));
      double[] losses = {3.2, 2.7, 2.4, 2.2, 2.05};
      for (int r = 0; r < losses.length; r++) training.loss(r, losses[r]);
      training.round(5, "training");
      training.contribution(new TrainingStatus.ContributionStatus(4, "excluded", "arrived after the cut-off"));

      ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toString()).addArguments("--headless=new", "--no-sandbox",
          "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--window-size=1000,800",
          "--user-data-dir=" + Files.createTempDirectory("weft-chromium"));
      ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
      driver = new ChromeDriver(service, options);
      driver.get(server.url("127.0.0.1"));
      ChromeDriver d = driver;
      new WebDriverWait(driver, Duration.ofSeconds(20)).until(x -> d.findElements(By.cssSelector("#lossPlot circle.point")).size() == losses.length);
      assertThat(driver.findElement(By.id("contribution")).getText()).isEqualTo("round 4: excluded");
      assertThat(driver.findElement(By.id("contributionReason")).getText()).contains("after the cut-off");
      assertThat(driver.findElement(By.id("round")).getText()).isEqualTo("5");
      assertThat(driver.findElement(By.id("peers")).getText()).contains(b.host().peerId().toBase58()).contains("direct");

      training.loss(5, 1.9); // the page follows the node without a reload
      new WebDriverWait(driver, Duration.ofSeconds(20)).until(x -> d.findElements(By.cssSelector("#lossPlot circle.point")).size() == losses.length + 1);
      Path shot = Path.of("target/dashboard.png");
      Files.createDirectories(shot.getParent());
      Files.write(shot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      assertThat(Files.size(shot)).isPositive();
    } finally {
      if (driver != null) driver.quit();
      if (server != null) server.close();
      b.host().close();
      a.host().close();
    }
  }
}
