// A peerlens joiner built on pion/webrtc v3 (Netbird's WebRTC stack), for the NAT lab: it speaks
// signaling protocol v1 over HTTP long-poll (docs/signaling.md) as a third-party peer would. It sends
// a bare hello (no features), answers the host's offer, trickles its candidates as pion sends them
// (sdpMid "", sdpMLineIndex 0) or, with -no-trickle, puts them all in the answer and trickles none,
// and on the "peerlens" data channel answers pings and "done" (src/shared/probe.ts).
//
// Build offline against Debian's packages (golang-github-pion-webrtc.v3-dev):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o pion-join .
//
// (GOPATH mode: the import is "github.com/pion/webrtc", Debian's copy of v3; pion's own /v2, /v3
// imports resolve inside GOPATH by minimal module compatibility. Nothing is downloaded.)
//
// Output: one line per event on stdout ("connected <ms>", "selected <local> <remote>", "done").
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/pion/webrtc"
)

type client struct {
	base  string
	room  string
	token string
	http  *http.Client
}

type message struct {
	Seq  int             `json:"seq"`
	From string          `json:"from"`
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

func (c *client) post(path string, body interface{}, out interface{}) error {
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequest("POST", c.base+path, bytes.NewReader(data))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	text, _ := io.ReadAll(res.Body)
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("POST %s: %d %s", path, res.StatusCode, strings.TrimSpace(string(text)))
	}
	if out != nil {
		return json.Unmarshal(text, out)
	}
	return nil
}

func (c *client) send(kind string, data interface{}) error {
	return c.post("/v1/rooms/"+c.room+"/messages", map[string]interface{}{"type": kind, "data": data}, nil)
}

func (c *client) poll(after int) ([]message, int, error) {
	req, err := http.NewRequest("GET", fmt.Sprintf("%s/v1/rooms/%s/messages?after=%d&wait=25", c.base, c.room, after), nil)
	if err != nil {
		return nil, after, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	res, err := c.http.Do(req)
	if err != nil {
		return nil, after, err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		text, _ := io.ReadAll(res.Body)
		return nil, after, fmt.Errorf("poll: %d %s", res.StatusCode, strings.TrimSpace(string(text)))
	}
	var answer struct {
		Messages []message `json:"messages"`
		Next     int       `json:"next"`
	}
	if err := json.NewDecoder(res.Body).Decode(&answer); err != nil {
		return nil, after, err
	}
	return answer.Messages, answer.Next, nil
}

// parseInvite reads http://HOST:PORT/PREFIX/join/ROOM#SECRET.
func parseInvite(invite string) (base, room, secret string, err error) {
	u, err := url.Parse(invite)
	if err != nil {
		return "", "", "", err
	}
	i := strings.LastIndex(u.Path, "/join/")
	if i < 0 || u.Fragment == "" {
		return "", "", "", errors.New("not an invite URL (http://HOST:PORT/join/ROOM#SECRET)")
	}
	return u.Scheme + "://" + u.Host + u.Path[:i], u.Path[i+len("/join/"):], u.Fragment, nil
}

func main() {
	stun := flag.String("stun", "", "STUN URL (stun:HOST:PORT)")
	turn := flag.String("turn", "", "TURN URL (turn:HOST:PORT)")
	turnUser := flag.String("turn-user", "", "TURN username")
	turnPass := flag.String("turn-pass", "", "TURN password")
	noTrickle := flag.Bool("no-trickle", false, "put every candidate in the answer and trickle none")
	timeout := flag.Duration("timeout", 40*time.Second, "give up after this long")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: pion-join [flags] INVITE_URL")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *stun, *turn, *turnUser, *turnPass, *noTrickle, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "pion-join:", err)
		os.Exit(1)
	}
}

func run(invite, stun, turn, turnUser, turnPass string, noTrickle bool, timeout time.Duration) error {
	started := time.Now()
	base, room, secret, err := parseInvite(invite)
	if err != nil {
		return err
	}
	c := &client{base: base, room: room, http: &http.Client{Timeout: 40 * time.Second}}
	var joined struct {
		Token string `json:"token"`
	}
	if err := c.post("/v1/rooms/"+room+"/peers", map[string]string{"secret": secret, "name": "pion"}, &joined); err != nil {
		return err
	}
	c.token = joined.Token
	// A bare hello: a name and nothing else (no version, no features, so no extensions are used).
	if err := c.send("hello", map[string]interface{}{"name": "pion"}); err != nil {
		return err
	}

	config := webrtc.Configuration{}
	if stun != "" {
		config.ICEServers = append(config.ICEServers, webrtc.ICEServer{URLs: []string{stun}})
	}
	if turn != "" {
		config.ICEServers = append(config.ICEServers, webrtc.ICEServer{URLs: []string{turn}, Username: turnUser, Credential: turnPass})
	}
	pc, err := webrtc.NewPeerConnection(config)
	if err != nil {
		return err
	}
	defer pc.Close()

	finished := make(chan string, 4)
	var sendMu sync.Mutex
	signal := func(kind string, data interface{}) {
		sendMu.Lock()
		defer sendMu.Unlock()
		if err := c.send(kind, data); err != nil {
			fmt.Fprintln(os.Stderr, "pion-join: send", kind, err)
		}
	}
	var answered sync.WaitGroup
	answered.Add(1)
	pc.OnICECandidate(func(cand *webrtc.ICECandidate) {
		if noTrickle {
			return
		}
		answered.Wait() // the answer goes first
		if cand == nil {
			signal("candidate", nil)
			return
		}
		signal("candidate", cand.ToJSON()) // sdpMid "" and sdpMLineIndex 0, as pion sends them
	})
	pc.OnICEConnectionStateChange(func(s webrtc.ICEConnectionState) {
		fmt.Printf("ice %s %d\n", s, time.Since(started).Milliseconds())
		if s == webrtc.ICEConnectionStateFailed {
			finished <- "ICE failed"
		}
	})
	pc.OnDataChannel(func(dc *webrtc.DataChannel) {
		dc.OnOpen(func() {
			fmt.Printf("connected %d\n", time.Since(started).Milliseconds())
			if pair, err := pc.SCTP().Transport().ICETransport().GetSelectedCandidatePair(); err == nil && pair != nil {
				fmt.Printf("selected %s %s\n", pair.Local.Typ, pair.Remote.Typ)
			}
		})
		dc.OnMessage(func(m webrtc.DataChannelMessage) {
			if !m.IsString {
				return
			}
			var probe map[string]interface{}
			if json.Unmarshal(m.Data, &probe) != nil {
				return
			}
			switch probe["t"] {
			case "ping":
				pong, _ := json.Marshal(map[string]interface{}{"t": "pong", "id": probe["id"], "ts": probe["ts"], "rts": time.Now().UnixMilli()})
				_ = dc.SendText(string(pong))
			case "done":
				_ = dc.SendText(`{"t":"done"}`)
				finished <- ""
			}
		})
	})

	deadline := time.After(timeout)
	polled := make(chan []message)
	pollErr := make(chan error, 1)
	go func() {
		after := 0
		for {
			msgs, next, err := c.poll(after)
			if err != nil {
				pollErr <- err
				return
			}
			after = next
			polled <- msgs
		}
	}()
	for {
		select {
		case reason := <-finished:
			if reason != "" {
				signal("bye", map[string]string{"reason": reason})
				return errors.New(reason)
			}
			time.Sleep(300 * time.Millisecond) // let "done" leave
			signal("bye", map[string]string{})
			fmt.Println("done")
			return nil
		case err := <-pollErr:
			return err
		case <-deadline:
			signal("bye", map[string]string{"reason": "timed out"})
			return fmt.Errorf("no verdict within %s", timeout)
		case msgs := <-polled:
			for _, m := range msgs {
				if err := handle(m, pc, signal, noTrickle, &answered); err != nil {
					return err
				}
			}
		}
	}
}

// Candidates that come before the offer wait for it (the protocol allows them first).
var early []webrtc.ICECandidateInit

func handle(m message, pc *webrtc.PeerConnection, signal func(string, interface{}), noTrickle bool, answered *sync.WaitGroup) error {
	switch m.Type {
	case "offer":
		var offer webrtc.SessionDescription
		if err := json.Unmarshal(m.Data, &offer); err != nil {
			return err
		}
		if err := pc.SetRemoteDescription(offer); err != nil {
			return err
		}
		for _, cand := range early {
			if err := pc.AddICECandidate(cand); err != nil {
				fmt.Fprintln(os.Stderr, "pion-join: candidate refused:", err)
			}
		}
		early = nil
		answer, err := pc.CreateAnswer(nil)
		if err != nil {
			return err
		}
		gathered := webrtc.GatheringCompletePromise(pc)
		if err := pc.SetLocalDescription(answer); err != nil {
			return err
		}
		if noTrickle {
			<-gathered
		}
		signal("answer", pc.LocalDescription())
		answered.Done()
	case "candidate":
		if string(m.Data) == "null" {
			return nil
		}
		var cand webrtc.ICECandidateInit
		if err := json.Unmarshal(m.Data, &cand); err != nil {
			return err
		}
		if pc.RemoteDescription() == nil {
			early = append(early, cand)
			return nil
		}
		if err := pc.AddICECandidate(cand); err != nil {
			fmt.Fprintln(os.Stderr, "pion-join: candidate refused:", err)
		}
	case "bye":
		return errors.New("the host left: " + string(m.Data))
	}
	return nil
}
