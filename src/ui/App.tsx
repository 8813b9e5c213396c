/** The playground (placeholder until the UI lands): says what the app is. */
export function App() {
  return (
    <main>
      <h1>Resumable</h1>
      <p>Train a neural network in your browser, crash the tab, and resume bit-exactly.</p>
    </main>
  );
}
