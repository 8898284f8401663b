package dev.weft.cli.common;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns an exception into the one-line message a person reads: {@code <what>: <why>}. File errors
 * always name the file and the reason (the JDK's own messages give one or the other: a bare path
 * for {@link NoSuchFileException}, a bare "Is a directory" for a read of a folder).
 */
public final class Errors {
  private Errors() {}

  /** The message for {@code e}, unwrapping futures and wrappers. */
  public static String describe(Throwable e) {
    Throwable c = unwrap(e);
    if (c instanceof FileProblem fp) return fp.getMessage();
    if (c instanceof FileSystemException fs) return describeFile(fs);
    if (c instanceof FileNotFoundException fnf && fnf.getMessage() != null) return fnf.getMessage();
    String m = c.getMessage();
    if (m == null || m.isBlank()) return c.getClass().getSimpleName();
    return m;
  }

  static Throwable unwrap(Throwable e) {
    Throwable c = e;
    while ((c instanceof CompletionException || c instanceof ExecutionException || c instanceof UncheckedIOException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private static String describeFile(FileSystemException e) {
    String file = e.getFile() == null ? "?" : e.getFile();
    String why = switch (e) {
      case NoSuchFileException x -> "no such file or directory";
      case AccessDeniedException x -> "permission denied";
      case FileAlreadyExistsException x -> "already exists";
      case NotDirectoryException x -> "not a directory";
      case DirectoryNotEmptyException x -> "directory not empty";
      default -> e.getReason() != null ? lower(e.getReason()) : e.getClass().getSimpleName();
    };
    String other = e.getOtherFile() == null ? "" : " (and " + e.getOtherFile() + ")";
    return file + other + ": " + why;
  }

  private static String lower(String s) {
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  /**
   * An I/O failure on a named file, worded for a person: {@code cannot read data file my.txt: is a
   * directory}.
   */
  public static final class FileProblem extends IOException {
    public FileProblem(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Re-words {@code e}, thrown while doing {@code action} ("read", "write") on the {@code role}
   * file ("data", "key", "config") at {@code path}, so the message names both the file and the
   * reason, whatever the JDK said.
   */
  public static FileProblem file(String action, String role, Path path, IOException e) {
    String why;
    if (e instanceof FileProblem fp) return fp;
    if (e instanceof FileSystemException fs) {
      String d = describeFile(fs);
      why = d.substring(d.lastIndexOf(": ") + 2);
    } else if (Files.isDirectory(path)) {
      why = "is a directory";
    } else {
      why = e.getMessage() == null ? e.getClass().getSimpleName() : lower(e.getMessage());
    }
    return new FileProblem("cannot " + action + " " + role + " file " + path + ": " + why, e);
  }

  /** Reads a whole file whose failure message must name it ({@link #file}). */
  public static byte[] readFile(String role, Path path, long maxBytes) throws FileProblem {
    try {
      if (Files.isDirectory(path)) throw new FileProblem("cannot read " + role + " file " + path + ": is a directory", null);
      long size = Files.size(path);
      if (size > maxBytes) {
        throw new FileProblem("cannot read " + role + " file " + path + ": it is " + ByteSize.format(size)
            + ", more than the limit of " + ByteSize.format(maxBytes), null);
      }
      return Files.readAllBytes(path);
    } catch (FileProblem e) {
      throw e;
    } catch (IOException e) {
      throw file("read", role, path, e);
    }
  }
}
