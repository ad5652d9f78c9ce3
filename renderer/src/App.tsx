import { Suspense, useEffect } from 'react';
import { asFailure, call, on, onConnection } from './api/client';
import { NavBar } from './components/NavBar';
import { StatusBar } from './components/StatusBar';
import { followCounter } from './customer/follow-counter';
import { offerCard } from './members/card-claim';
import { LoginScreen } from './screens/LoginScreen';
import { type ScreenEntry, screensFor } from './screens/registry';
import { SetupScreen } from './screens/SetupScreen';
import { useApp } from './store/app';
import { useCounter } from './store/counter';
import { useNav } from './store/nav';
import { attachWedge } from './wedge';

export function App() {
  const session = useApp((state) => state.session);
  const restoring = useApp((state) => state.restoring);
  const setupNeeded = useApp((state) => state.setupNeeded);

  useEffect(() => {
    const stops = [
      onConnection((state) => useApp.getState().setConnection(state)),
      followCounter(),
      on('device.status', (status) => useApp.getState().deviceChanged(status)),
      on('sync.status', (status) => useApp.getState().syncChanged(status)),
      on('print.status', (status) => useCounter.getState().receiptChanged(status)),
      on('card.presented', (card) => {
        if (
          offerCard({
            via: 'tap',
            ...(card.uid === '' ? {} : { uid: card.uid }),
            ...(card.cardNumber === undefined ? {} : { cardNumber: card.cardNumber }),
            ...(card.refused === undefined ? {} : { refused: card.refused }),
            ...(card.reader === undefined ? {} : { reader: card.reader }),
          })
        )
          return;
        const counter = useCounter.getState();
        if (card.refused !== undefined) counter.refuse(card.refused);
        else if (card.cardNumber !== undefined) void counter.lookup({ cardNumber: card.cardNumber });
        else void counter.lookup({ uid: card.uid });
      }),
      on('swipe', (swipe) => {
        if (
          offerCard({
            via: 'swipe',
            ...(swipe.cardNumber === null ? {} : { cardNumber: swipe.cardNumber }),
            ...(swipe.refused === null ? {} : { refused: swipe.refused }),
          })
        )
          return;
        const counter = useCounter.getState();
        if (swipe.cardNumber !== null) void counter.lookup({ cardNumber: swipe.cardNumber });
        else counter.refuse(swipe.refused ?? 'SWIPE_UNREADABLE');
      }),
      // Swipers the OS owns as a keyboard type their tracks; the wedge catches the burst before any field does.
      attachWedge(
        window,
        (tracks) => {
          if (useApp.getState().session === null) return;
          call('card.swipeText', { tracks })
            .then(({ cardNumber }) => {
              if (!offerCard({ via: 'swipe', cardNumber })) void useCounter.getState().lookup({ cardNumber });
            })
            .catch((error) => {
              const code = asFailure(error).code;
              if (!offerCard({ via: 'swipe', refused: code })) useCounter.getState().refuse(code);
            });
        },
        // A bank card's burst is refused in the wedge itself: its tracks never leave the renderer.
        {
          onRefused: (code) => {
            if (!offerCard({ via: 'swipe', refused: code })) useCounter.getState().refuse(code);
          },
        },
      ),
    ];
    void useApp.getState().restore();
    document.documentElement.lang = useApp.getState().locale;
    return () => {
      for (const stop of stops) stop();
    };
  }, []);

  useEffect(() => {
    if (session === null) {
      useCounter.getState().reset();
      useNav.getState().choose(null);
    }
  }, [session]);

  return (
    <div className="app">
      <StatusBar />
      {restoring ? null : setupNeeded ? (
        <div className="screen">
          <SetupScreen />
        </div>
      ) : session === null ? (
        <div className="screen">
          <LoginScreen />
        </div>
      ) : (
        <Workspace permissions={session.permissions} />
      )}
    </div>
  );
}

/**
 * The logged-in part: the screens this role may use, the first of them (the counter for money roles) as home.
 * The status bar and the tabs stay put; a screen taller than the window scrolls inside its own region.
 */
function Workspace({ permissions }: { permissions: readonly string[] }) {
  const screens = screensFor(permissions);
  const chosen = useNav((state) => state.chosen);
  const setChosen = useNav((state) => state.choose);
  const current: ScreenEntry | undefined = screens.find((screen) => screen.id === chosen) ?? screens[0];
  if (current === undefined) return null;
  const Screen = current.component;
  return (
    <>
      <NavBar screens={screens} current={current.id} onChoose={setChosen} />
      <div className="screen" data-screen={current.id}>
        <Suspense fallback={null}>
          <Screen />
        </Suspense>
      </div>
    </>
  );
}
