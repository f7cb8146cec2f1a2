export function App(): React.JSX.Element {
  return <h1>peerlens</h1>
}
