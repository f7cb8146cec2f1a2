import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { bridge } from './bridge'
import { createAppStore } from './store/app'
import { StoreContext } from './store/context'
import './styles.css'

const api = bridge()
const store = createAppStore(api)
api.onEvent((event) => store.getState().handleEvent(event))
void store.getState().init()

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>
)
