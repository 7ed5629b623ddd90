namespace Rivulet.Benchmarks; internal static class Program { private static int Main() => 0; }
